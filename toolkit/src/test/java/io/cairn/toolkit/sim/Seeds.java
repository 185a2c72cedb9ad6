package io.cairn.toolkit.sim;

import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeds of the toolkit's simulator properties: {@code -Dcairn.toolkit.seeds=K} per member count (default the CI
 * tier), {@code -Dcairn.toolkit.seed-start}, or one {@code -Dcairn.toolkit.seed=S} to replay a failure.
 */
final class Seeds {
    private Seeds() {
    }

    /**
     * @param perSize seeds per member count at the CI tier
     * @return (n, seed) pairs for N = 3, 5, 7
     */
    static Stream<Arguments> of(final int perSize) {
        final String one = System.getProperty("cairn.toolkit.seed");
        final int[] sizes = {3, 5, 7};
        if (one != null) {
            final long s = Long.parseLong(one);
            return Stream.of(Arguments.of(sizes[(int) Math.floorMod(s, 3L)], s));
        }
        final int k = Integer.getInteger("cairn.toolkit.seeds", perSize);
        final long start = Long.getLong("cairn.toolkit.seed-start", 1);
        // Seed s runs at N = sizes[s mod 3], so a seed alone names its run.
        return LongStream.range(start, start + 3L * k).mapToObj(s -> Arguments.of(sizes[(int) Math.floorMod(s, 3L)], s));
    }
}
