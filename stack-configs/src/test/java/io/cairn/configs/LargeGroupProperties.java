package io.cairn.configs;

import io.cairn.testkit.sim.SimulationResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large groups (16, 32 and 64 members) under the fault matrix in the simulator: every row of everything at once
 * ({@code mixed}: partitions, a slow link, a loss burst, lossy loopback, clock skews, resets, a crash and restart,
 * a leave) for {@code vsync} and {@code total}, and at 16 the leave-under-load and slow-consumer-with-churn rows.
 * The CI tier runs {@value #CI_SEEDS} seed per cell; {@code -Dcairn.large.seeds=K} runs K from
 * {@code -Dcairn.large.seed-start} (the soak), {@code -Dcairn.seed=S} one. Growth figures:
 * {@code io.cairn.bench.scale.LargeGroupScale} (docs/bench-large-groups.md).
 */
class LargeGroupProperties {
    static final int CI_SEEDS = 1;

    static Stream<Arguments> cells() {
        final List<Arguments> out = new ArrayList<>();
        for (final int n : new int[] {16, 32, 64}) {
            for (final String stack : List.of("vsync", "total")) {
                out.add(Arguments.of(stack, n, "mixed"));
                if (n == 16) {
                    out.add(Arguments.of(stack, n, "F24"));
                    out.add(Arguments.of(stack, n, "F25"));
                }
            }
        }
        return out.stream();
    }

    private static java.util.stream.LongStream seeds() {
        if (System.getProperty("cairn.seed") != null) {
            return java.util.stream.LongStream.of(Long.getLong("cairn.seed"));
        }
        final long start = Long.getLong("cairn.large.seed-start", 1L);
        return java.util.stream.LongStream.range(start, start + Integer.getInteger("cairn.large.seeds", CI_SEEDS));
    }

    @ParameterizedTest(name = "{0}, N = {1}, {2}")
    @MethodSource("cells")
    void shouldKeepEveryPromiseInALargeGroup(final String stack, final int n, final String row) {
        final List<String> failures = new ArrayList<>();
        seeds().forEach(seed -> {
            final SimulationResult r = SafetyMatrixProperties.options(stack, row, seed, n, 1000).run();
            if (!r.ok()) {
                System.out.println("large-group " + stack + " N=" + n + " " + row + " seed " + seed + " FAILED: "
                    + r.describe());
                failures.add(r.describe());
            }
        });
        assertThat(failures).as("runs with violations").isEmpty();
    }
}
