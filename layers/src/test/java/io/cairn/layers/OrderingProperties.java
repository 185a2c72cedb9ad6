package io.cairn.layers;

import io.cairn.stack.config.StackAssemblerAccess;
import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.Kind;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering stacks — {@code causal}, {@code sequencer-total}, {@code symmetric-total} and
 * {@code sequencer-total + safe}, each over virtual synchrony with state transfer — for N in {3, 5} under fault rows
 * F02–F09 of CORRECTNESS.md at the CI tier: zero violations of C1, T1–T4, U1, U2 and everything the lower layers
 * promise (I1–I4, F1, M1–M5, V1–V4, S1, and L1 after partitions).
 */
class OrderingProperties {
    private static final long T = 1_000_000_000L;
    private static final List<String> STACKS = List.of("causal-test", "total-test", "symmetric-test",
        "safe-total-test");
    private static final int[] SIZES = {3, 5};

    /** Fault rows at the CI tier. */
    enum Row { F02_LOSS, F03_DUPLICATION, F04_REORDERING, F05_DELAY, F06_PARTITION, F07_COORDINATOR_IN_CHANGE,
        F08_SEQUENCER_CRASH, F09_CASCADE }

    static Stream<Arguments> cells() {
        final List<Arguments> out = new ArrayList<>();
        final long[] seeds = Seeds.of(10).toArray();
        for (final String stack : STACKS) {
            for (final int n : SIZES) {
                for (final Row row : Row.values()) {
                    for (final long seed : seeds) {
                        out.add(Arguments.of(stack, n, row, seed));
                    }
                }
            }
        }
        return out.stream();
    }

    private static Set<String> props(final String stack, final Row row) {
        final Set<String> p = new TreeSet<>(TraceChecker.propertiesFor(StackAssemblerAccess.provides(stack)));
        if (row == Row.F06_PARTITION) {
            p.add("L1");
        }
        return p;
    }

    static FaultSchedule faults(final Row row, final int n, final long seed) {
        final SplittableRandom rnd = new SplittableRandom(seed * 7919 + row.ordinal());
        final LinkConditions c = LinkConditions.CLEAN;
        return switch (row) {
            case F02_LOSS -> FaultSchedule.links(seed % 2 == 0 ? c.withLoss(0.1) : c.withBurstLoss(0.2, 0.75));
            case F03_DUPLICATION -> FaultSchedule.links(c.withDuplicate(0.2));
            case F04_REORDERING -> FaultSchedule.links(c.withReorder(0.2));
            case F05_DELAY -> FaultSchedule.links(c.withDelay(0, 200_000_000L));
            case F06_PARTITION -> FaultSchedule.random(seed, n, 3_000_000_000L, 2, 0, 0);
            case F07_COORDINATOR_IN_CHANGE -> new FaultSchedule(List.of(
                // A crash starts a view change (suspected ~1.25 s later); the coordinator crashes during it.
                new Action(T, Kind.CRASH, List.of(n - 1), null),
                new Action(T + 1_100_000_000L + rnd.nextLong(400_000_000L), Kind.CRASH, List.of(0), null)));
            case F08_SEQUENCER_CRASH -> FaultSchedule.links(c.withLoss(0.1)).plus(List.of(
                new Action(T + rnd.nextLong(3_000_000_000L), Kind.CRASH, List.of(0), null)));
            case F09_CASCADE -> {
                // Up to floor((N-1)/2) crashes, the second one the new coordinator.
                final long first = T + rnd.nextLong(1_000_000_000L);
                final List<Action> a = new ArrayList<>(List.of(new Action(first, Kind.CRASH, List.of(0), null)));
                if (n >= 5) {
                    a.add(new Action(first + 1_100_000_000L + rnd.nextLong(400_000_000L), Kind.CRASH, List.of(1),
                        null));
                }
                yield new FaultSchedule(a);
            }
        };
    }

    private static Simulator.Options base(final String stack, final int n, final long seed) {
        return Simulator.options().stack(stack).members(n).seed(seed).messages(2000).sendInterval(2_000_000L)
            .payload(8, 2000).settle(6_000_000_000L);
    }

    @ParameterizedTest(name = "{0} N={1} {2} seed {3}")
    @MethodSource("cells")
    void shouldKeepEveryOrderingPropertyUnderTheFaultMatrix(final String stack, final int n, final Row row,
                                                            final long seed) {
        final Set<String> props = props(stack, row);
        final SimulationResult r = base(stack, n, seed).settle(row == Row.F06_PARTITION ? 12_000_000_000L
            : 6_000_000_000L).faults(faults(row, n, seed)).check(props).run();
        r.assertNoViolations();
        assertThat(r.report().checked()).containsAll(props);
        if (props.contains("T1")) {
            assertThat(r.trace().events()).anyMatch(e -> e.type() == TraceEvent.Type.DELIVER && e.gseq() > 0);
        }
        if (props.contains("U2")) {
            assertThat(r.trace().events()).as("U2 is judged on recorded receipts")
                .anyMatch(e -> e.type() == TraceEvent.Type.RECV);
        }
    }

    @Test
    void shouldSeeCausalViolationsWhenTheStackHasNoCausalLayer() {
        // The workload creates causal chains: the same checks on vsync-test (FIFO only) report C1 violations,
        // so zero violations on causal-test are the layer's doing.
        final Set<String> props = new TreeSet<>(TraceChecker.propertiesFor(StackAssemblerAccess.provides("vsync-test")));
        props.add("C1");
        final long violating = Seeds.of(5).filter(seed -> {
            final SimulationResult r = Simulator.options().stack("vsync-test").members(5).seed(seed).messages(2000)
                .sendInterval(500_000L).payload(8, 2000).mode(TraceEvent.Mode.CAUSAL)
                .faults(FaultSchedule.links(LinkConditions.CLEAN.withDelay(0, 20_000_000L).withLoss(0.05)))
                .check(props).run();
            return r.report().violated().contains("C1");
        }).count();
        assertThat(violating).isPositive();
    }
}
