package io.cairn.layers;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.Kind;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static io.cairn.layers.MembershipRows.T;
import static io.cairn.layers.MembershipRows.base;
import static io.cairn.layers.MembershipRows.check;
import static io.cairn.layers.MembershipRows.finalView;
import static io.cairn.layers.MembershipRows.size;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership with flush over the reliability layers ({@code vsync-test}), N in {3, 5, 7}, traffic spanning every
 * view change: zero violations of I1–I4, F1, M1–M5, V1–V4 for every seed.
 */
class VirtualSynchronyProperties {
    private static final long SIM_START = 1_000_000_000L;

    static LongStream seeds() {
        return Seeds.of(200);
    }

    @ParameterizedTest(name = "fault-free, seed {0}")
    @MethodSource("seeds")
    void shouldFormOneViewAndNeverChangeItWithoutFaults(final long seed) {
        final SimulationResult r = base(seed).check(new TreeSet<>(List.of("I1", "I2", "I3", "I4", "F1", "M1", "M2",
            "M3", "M4", "M5", "V1", "V2", "V3", "V4", "D1"))).run();
        r.assertNoViolations();
        assertThat(finalView(r, "m1#0")).hasSize(size(seed));
    }

    @ParameterizedTest(name = "crash a member, seed {0}")
    @MethodSource("seeds")
    void shouldExcludeACrashedMemberAndAgreeOnWhatItSent(final long seed) {
        final int n = size(seed);
        final int victim = 1 + (int) (seed % (n - 1));
        final SimulationResult r = check(base(seed).faults(new FaultSchedule(List.of(
            new Action(T + seed * 13_000_000L % 1_500_000_000L, Kind.CRASH, List.of(victim), null)))));
        assertThat(finalView(r, "m0#0")).hasSize(n - 1).doesNotContain("m" + victim + "#0");
    }

    /** The three kinds of view change whose coordinator F07 crashes. */
    enum Trigger { CRASH, JOIN, LEAVE }

    /**
     * F07: a view change is triggered (a crash, a join by a restarted member, or a leave); the coordinator crashes
     * at a point that sweeps, across seeds, from just before the flush starts (first Blocked) to just after the new
     * view is installed, in 20 steps. A dry run without the coordinator crash measures that window.
     */
    @ParameterizedTest(name = "coordinator crash during a view change, seed {0}")
    @MethodSource("seeds")
    void shouldFinishAViewChangeWhoseCoordinatorCrashesAtAnyStep(final long seed) {
        final Trigger trigger = Trigger.values()[(int) (seed % 3)];
        final int n = 5;
        final List<Action> change = switch (trigger) {
            case CRASH -> List.of(new Action(T, Kind.CRASH, List.of(2), null));
            case JOIN -> List.of(new Action(T, Kind.CRASH, List.of(2), null),
                new Action(T + 2_500_000_000L, Kind.RESTART, List.of(2), null));
            case LEAVE -> List.of(new Action(T, Kind.LEAVE, List.of(2), null));
        };
        final SimulationResult dry = check(base(seed).members(n).faults(new FaultSchedule(change)));
        final TraceEvent lastBlock = dry.trace().events().stream()
            .filter(e -> e.type() == TraceEvent.Type.BLOCK && e.p().equals("m0#0")).reduce((a, b) -> b).orElseThrow();
        final long installed = dry.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.INSTALL
            && e.p().equals("m0#0") && e.t() > lastBlock.t()).findFirst().orElseThrow().t();
        final long from = lastBlock.t() - 1_000_000L;
        final long span = installed - lastBlock.t() + 2_000_000L;
        // Trace times are absolute virtual times; fault times count from the start of the run (1 s).
        final long at = from + span * (seed % 20) / 19 - SIM_START;
        final List<Action> actions = new ArrayList<>(change);
        actions.add(new Action(at, Kind.CRASH, List.of(0), null));
        final SimulationResult r = check(base(seed).members(n).faults(new FaultSchedule(actions)));
        if (Boolean.getBoolean("vsdebug")) {
            r.trace().events().stream().filter(e -> e.type() != TraceEvent.Type.SEND
                && e.type() != TraceEvent.Type.DELIVER && e.type() != TraceEvent.Type.GAUGE
                && e.type() != TraceEvent.Type.REJECT).forEach(e -> System.out.println("  " + e));
            r.members().forEach(m -> System.out.println(m.runtime().dump()));
        }
        assertThat(finalView(r, "m1#0")).doesNotContain("m0#0");
    }

    @ParameterizedTest(name = "cascading crashes, seed {0}")
    @MethodSource("seeds")
    void shouldSurviveCascadingCrashesOfAMinority(final long seed) {
        final int n = Math.max(5, size(seed));
        final SplittableRandom rnd = new SplittableRandom(seed);
        final List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        final List<Action> actions = new ArrayList<>();
        for (int i = 0; i < (n - 1) / 2; i++) {
            actions.add(new Action(T + rnd.nextLong(2_500_000_000L), Kind.CRASH,
                List.of(all.remove(rnd.nextInt(all.size()))), null));
        }
        check(base(seed).members(n).faults(new FaultSchedule(actions)));
    }

    /**
     * F09: the coordinator crashes; its successor (the next oldest) crashes in turn at a point swept across its own
     * view change, from just before its flush starts to just after it installs the view.
     */
    @ParameterizedTest(name = "new coordinator crash mid-change, seed {0}")
    @MethodSource("seeds")
    void shouldSurviveTheNewCoordinatorCrashingDuringItsViewChange(final long seed) {
        final int n = seed % 2 == 0 ? 5 : 7;
        final List<Action> first = List.of(new Action(T, Kind.CRASH, List.of(0), null));
        final SimulationResult dry = check(base(seed).members(n).faults(new FaultSchedule(first)));
        final String successor = dry.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.INSTALL)
            .findFirst().orElseThrow().members().get(1);
        final int index = Integer.parseInt(successor.substring(1, successor.indexOf('#')));
        final TraceEvent block = dry.trace().events().stream()
            .filter(e -> e.type() == TraceEvent.Type.BLOCK && e.p().equals(successor)).findFirst().orElseThrow();
        final long installed = dry.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.INSTALL
            && e.p().equals(successor) && e.t() > block.t()).findFirst().orElseThrow().t();
        final long at = block.t() - 1_000_000L + (installed - block.t() + 2_000_000L) * (seed % 20) / 19 - SIM_START;
        final List<Action> actions = new ArrayList<>(first);
        actions.add(new Action(at, Kind.CRASH, List.of(index), null));
        final SimulationResult r = check(base(seed).members(n).faults(new FaultSchedule(actions)));
        final String observer = r.members().stream().filter(m -> !m.crashed()).findFirst().orElseThrow().id()
            .toString();
        assertThat(finalView(r, observer)).hasSize(n - 2).doesNotContain("m0#0", successor);
    }
}
