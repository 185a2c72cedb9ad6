package io.cairn.configs;

import io.cairn.stack.config.StackAssembler;
import io.cairn.testkit.sim.FaultRows;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix rows of issue 15 (F11, F20–F25 and a mixed row: one-way slow links, asymmetric loss, lossy
 * loopback, connection resets, leaves of any member, slow consumers with churn, clock offsets) over every shipped
 * stack (reliable-fifo, a static group, on the rows that keep members up), N cycling through 3, 5, 7, 9 by seed. Every property the stack promises is checked, E1, S2
 * and X1 included. The CI tier runs {@value #CI_SEEDS} seeds per stack and row; the soak runs
 * {@code -Dcairn.safety.seeds=N} (see the README and {@link #seeds()}). Each cell reports its runs and the failing seeds with their replay.
 */
class SafetyMatrixProperties {
    static final int CI_SEEDS = 2;
    private static final java.util.Set<String> STATIC_ROWS = java.util.Set.of("F11", "F20", "F21", "F22", "F23");
    private static final int[] SIZES = {3, 5, 7, 9};
    private static final long SEND_INTERVAL_NS = 1_000_000L;
    /** Casts of the regression scenarios found at this length. */
    private static final int MESSAGES = 1500;
    /**
     * Run lengths the matrix cycles through: fault times scale with the run, so each length times the faults
     * differently against the casts in flight (a causal bug showed only at 1,000).
     */
    private static final int[] LENGTHS = {1000, 1250, 1500};

    static Stream<Arguments> cells() {
        final List<Arguments> out = new ArrayList<>();
        for (final String stack : new StackAssembler().shippedStacks()) {
            for (final String row : FaultRows.IDS) {
                // A static group (no membership) has no leaves, restarts, exclusions or views to change: it gets
                // the rows that keep every member up (clock faults, one-way slow links, loss bursts, lossy
                // loopback, resets).
                if (!stack.equals("reliable-fifo") || STATIC_ROWS.contains(row)) {
                    out.add(Arguments.of(stack, row));
                }
            }
        }
        return out.stream();
    }

    /**
     * {@code -Dcairn.seed=S} replays one seed; {@code -Dcairn.safety.seeds=N} runs N per cell from
     * {@code -Dcairn.safety.seed-start} (the soak profile: 180 per cell from 1,001, over 10,000 runs in all).
     */
    static java.util.stream.LongStream seeds() {
        if (System.getProperty("cairn.seed") != null) {
            return Seeds.of(1);
        }
        final long start = Long.getLong("cairn.safety.seed-start", 1L);
        return java.util.stream.LongStream.range(start, start + Integer.getInteger("cairn.safety.seeds", CI_SEEDS));
    }

    static int size(final long seed) {
        return SIZES[(int) Math.floorMod(seed, SIZES.length)];
    }

    static Simulator.Options options(final String stack, final String row, final long seed) {
        return options(stack, row, seed, size(seed));
    }

    static Simulator.Options options(final String stack, final String row, final long seed, final int n) {
        return options(stack, row, seed, n, MESSAGES);
    }

    /** The seed picks N (seed mod 4) and the run length (seed / 4 mod 3), so a sweep covers every pairing. */
    static int length(final long seed) {
        return LENGTHS[(int) Math.floorMod(seed / SIZES.length, LENGTHS.length)];
    }

    static Simulator.Options options(final String stack, final String row, final long seed, final int n,
                                     final int messages) {
        return Simulator.options().stack(stack).members(n).seed(seed).messages(messages)
            .sendInterval(SEND_INTERVAL_NS).payload(8, 1500).blockingCasts().settle(8_000_000_000L)
            .faults(FaultRows.row(row, seed, n, messages * SEND_INTERVAL_NS)).replayFaultsAs("--fault-row " + row);
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("cells")
    void shouldKeepEveryPromiseUnderTheRow(final String stack, final String row) {
        final List<String> failures = new ArrayList<>();
        final long[] runs = {0};
        seeds().forEach(seed -> {
            runs[0]++;
            final SimulationResult r = options(stack, row, seed, size(seed), length(seed)).run();
            if (!r.ok()) {
                // At once, so a long soak shows its findings while it runs.
                System.out.println("safety-matrix " + stack + " " + row + " seed " + seed + " FAILED: " + r.describe());
                failures.add(r.describe());
            }
        });
        System.out.println("safety-matrix " + stack + " " + row + ": " + runs[0] + " runs, " + failures.size()
            + " failed");
        assertThat(failures).as("runs with violations").isEmpty();
    }
}
