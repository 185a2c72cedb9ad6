package io.cairn.layers;

import io.cairn.stack.config.StackAssemblerAccess;
import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.Kind;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimMember;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F13 (churn with state transfer): N in 3..7 members of {@code vsync-state-test}, 50 join, leave and
 * crash-restart events during traffic. Zero violations of M1–M5, V1–V4, I3, I4 and S1 (every joiner's state equals
 * its provider's at the cut), and at the end every member of the final view holds the same application state.
 */
class StateTransferProperties {
    private static final long T = 1_000_000_000L;

    static LongStream seeds() {
        return Seeds.of(100);
    }

    @ParameterizedTest(name = "churn, seed {0}")
    @MethodSource("seeds")
    void shouldKeepStateAndVirtualSynchronyThroughChurn(final long seed) {
        final int n = 3 + (int) (seed % 5);
        final SplittableRandom rnd = new SplittableRandom(seed);
        final List<Action> churn = new ArrayList<>();
        long at = T;
        for (int k = 0; k < 50; k++) {
            // Every tenth event takes down the coordinator (the oldest member); the group needs a failure-detection
            // timeout to exclude it, so the next event waits. Others churn every 250 ms: a restarted incarnation's
            // JOIN replaces the old one at once.
            final boolean coordinator = k % 10 == 9;
            final int m = coordinator ? 0 : 1 + rnd.nextInt(n - 1);
            at += coordinator ? 250_000_000L : 250_000_000L;
            if (!coordinator && rnd.nextInt(3) == 0) {
                churn.add(new Action(at, Kind.LEAVE, List.of(m), null));
                churn.add(new Action(at + 100_000_000L, Kind.CRASH, List.of(m), null));
                churn.add(new Action(at + 150_000_000L, Kind.RESTART, List.of(m), null));
            } else {
                churn.add(new Action(at, Kind.CRASH, List.of(m), null));
                churn.add(new Action(at + 50_000_000L, Kind.RESTART, List.of(m), null));
            }
            if (coordinator) {
                at += 1_500_000_000L;
            }
        }
        final Set<String> props = new TreeSet<>(TraceChecker.propertiesFor(
            StackAssemblerAccess.provides("vsync-state-test")));
        final SimulationResult r = Simulator.options().stack("vsync-state-test").members(n).seed(seed)
            .messages(2000).sendInterval(10_000_000L).payload(8, 2000).settle(8_000_000_000L)
            .faults(new FaultSchedule(churn)).check(props).run();
        if (Boolean.getBoolean("stdebug")) {
            final java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
            r.trace().events().forEach(e -> counts.merge(e.type().name() + (e.type() == TraceEvent.Type.FAULT
                ? ":" + e.name() : ""), 1, Integer::sum));
            System.out.println("seed " + seed + " n=" + n + " " + counts);
            r.members().forEach(m -> System.out.println("  " + m.id() + " exit=" + m.exitReason() + " crashed="
                + m.crashed()));
            try {
                r.trace().write(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "st-" + seed + ".ndjson"));
            } catch (final java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        r.assertNoViolations();
        assertThat(r.report().checked()).contains("S1", "V2", "M4");
        final long transfers = r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.STATE_RECV)
            .count();
        assertThat(transfers).as("joiners received state").isGreaterThanOrEqualTo(5);
        final List<SimMember> live = r.members().stream().filter(m -> !m.crashed() && m.exitReason() == null)
            .toList();
        assertThat(live).hasSizeGreaterThan(n / 2);
        assertThat(live.stream().map(SimMember::digest).distinct().count())
            .as("every member of the final view holds the same state").isEqualTo(1);
    }
}
