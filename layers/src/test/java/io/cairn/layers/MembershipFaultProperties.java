package io.cairn.layers;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.Kind;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static io.cairn.layers.MembershipRows.T;
import static io.cairn.layers.MembershipRows.base;
import static io.cairn.layers.MembershipRows.check;
import static io.cairn.layers.MembershipRows.finalView;
import static io.cairn.layers.MembershipRows.size;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Second half of the membership rows (split from {@link VirtualSynchronyProperties} so the two test forks share
 * the work): delays, restarts, leaves, pauses and partitions. Membership with flush over the reliability layers ({@code vsync-test}), N in {3, 5, 7}, traffic spanning every
 * view change: zero violations of I1–I4, F1, M1–M5, V1–V4 for every seed.
 */
class MembershipFaultProperties {

    static LongStream seeds() {
        return Seeds.of(200);
    }

    @ParameterizedTest(name = "delay and jitter, seed {0}")
    @MethodSource("seeds")
    void shouldNotChangeViewsWhenDelaysStayBelowHalfTheTimeout(final long seed) {
        // F05: every frame delayed by 0-200 ms (uniform), below half the 1 s failure-detection timeout: no
        // suspicion, no view change, and everything delivered.
        final SimulationResult r = base(seed).faults(FaultSchedule.links(
            LinkConditions.CLEAN.withDelay(0, 200_000_000L))).check(new TreeSet<>(List.of("I1", "I2", "I3", "I4",
            "F1", "M1", "M2", "M3", "M4", "M5", "V1", "V2", "V3", "V4", "D1"))).run();
        r.assertNoViolations();
    }

    @ParameterizedTest(name = "restart and rejoin, seed {0}")
    @MethodSource("seeds")
    void shouldLetACrashedMemberRejoinAsANewIncarnation(final long seed) {
        final int n = size(seed);
        final int victim = 1 + (int) (seed % (n - 1));
        final SimulationResult r = check(base(seed).faults(new FaultSchedule(List.of(
            new Action(T, Kind.CRASH, List.of(victim), null),
            new Action(T + 500_000_000L + seed * 37_000_000L % 2_000_000_000L, Kind.RESTART, List.of(victim),
                null)))));
        assertThat(finalView(r, "m0#0")).contains("m" + victim + "#1").doesNotContain("m" + victim + "#0");
    }

    @ParameterizedTest(name = "leave, seed {0}")
    @MethodSource("seeds")
    void shouldLetAMemberLeaveGracefully(final long seed) {
        final int n = Math.max(3, size(seed));
        final int leaver = (int) (seed % n);
        final SimulationResult r = check(base(seed).members(n).faults(new FaultSchedule(List.of(
            new Action(T + seed * 17_000_000L % 2_000_000_000L, Kind.LEAVE, List.of(leaver), null)))));
        final String survivor = "m" + ((leaver + 1) % n) + "#0";
        assertThat(finalView(r, survivor)).hasSize(n - 1).doesNotContain("m" + leaver + "#0");
    }

    @ParameterizedTest(name = "pause and loss, seed {0}")
    @MethodSource("seeds")
    void shouldKeepVirtualSynchronyThroughPausesAndLoss(final long seed) {
        // F10: a pause of 0.5x, 1x or 3x the failure-detection timeout, with 5 % loss on every link.
        final long[] pauses = {500_000_000L, 1_000_000_000L, 3_000_000_000L};
        final int n = Math.max(5, size(seed));
        final int victim = 1 + (int) (seed % (n - 1));
        check(base(seed).members(n).faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.05)).plus(List.of(
            new Action(T + 200_000_000L, Kind.PAUSE, List.of(victim), null),
            new Action(T + 200_000_000L + pauses[(int) (seed % 3)], Kind.RESUME, List.of(victim), null)))));
    }

    @ParameterizedTest(name = "partition and heal, seed {0}")
    @MethodSource("seeds")
    void shouldKeepOnePrimaryAndReuniteAfterPartitionsHeal(final long seed) {
        // F06: two cycles of a random two-way partition (1-3 s each); the minority stops, the majority goes on,
        // and after the heal every process is again in one view (L1).
        final int n = seed % 2 == 0 ? 5 : 7;
        final FaultSchedule faults = FaultSchedule.random(seed, n, 3_000_000_000L, 2, 0, 0);
        final java.util.Set<String> props = new TreeSet<>(TraceChecker.propertiesFor(
            io.cairn.stack.config.StackAssemblerAccess.provides("vsync-test")));
        props.add("L1");
        final SimulationResult r = base(seed).members(n).settle(12_000_000_000L).faults(faults).check(props).run();
        r.assertNoViolations();
        final List<TraceEvent> events = r.trace().events();
        final java.util.Map<String, Long> exitedAt = new java.util.HashMap<>();
        for (final TraceEvent e : events) {
            if (e.type() == TraceEvent.Type.EXIT) {
                exitedAt.putIfAbsent(e.p(), e.t());
            } else if (e.type() == TraceEvent.Type.DELIVER && exitedAt.containsKey(e.p())) {
                throw new AssertionError(e.p() + " delivered after losing the primary partition: " + e);
            }
        }
        final long lastPartition = events.stream().filter(e -> e.type() == TraceEvent.Type.FAULT
            && "partition".equals(e.name())).mapToLong(TraceEvent::t).max().orElseThrow();
        final long heal = events.stream().filter(e -> e.type() == TraceEvent.Type.FAULT && "heal".equals(e.name())
            && e.t() > lastPartition).mapToLong(TraceEvent::t).min().orElseThrow();
        final long lastInstall = events.stream().filter(e -> e.type() == TraceEvent.Type.INSTALL)
            .mapToLong(TraceEvent::t).max().orElseThrow();
        final long reunited = Math.max(0, lastInstall - heal);
        // When the partitions leave no primary at all, the heal is followed by a cascade: members stuck in the dead
        // view notice the loss of majority (one FD timeout), exit and rejoin (0.5 s), the founder founds again
        // (found-after), and the last stuck member notices the restarted incarnations are gone (another FD
        // timeout): B = 2 x (FD timeout + rejoin) + found-after + retries, about 4.3 s here.
        assertThat(reunited).as("L1 bound B after a total collapse").isLessThan(5_000_000_000L);
        System.out.printf("seed %d, N=%d: one view again %.3f s (simulated) after the heal%n", seed, n,
            reunited / 1e9);
    }
}
