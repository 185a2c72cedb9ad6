package io.cairn.testkit.sim;

import java.util.stream.LongStream;

/**
 * Seeds for simulation tests. {@code -Dcairn.seed=S} replays exactly one seed; {@code -Dcairn.seeds=N} runs N
 * seeds per row instead of the default, starting at {@code -Dcairn.seed-start} (default 1), so a soak can explore
 * seeds the CI tier never runs.
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * @param defaultCount seeds per row at the CI tier
     * @return the seeds to run
     */
    public static LongStream of(final int defaultCount) {
        final String one = System.getProperty("cairn.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        final int n = Integer.getInteger("cairn.seeds", defaultCount);
        final long start = Long.getLong("cairn.seed-start", 1L);
        return LongStream.range(start, start + n);
    }
}
