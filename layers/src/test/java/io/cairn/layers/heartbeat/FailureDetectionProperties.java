package io.cairn.layers.heartbeat;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * D1 (CORRECTNESS.md): fault-free runs, with delay and jitter well below the timeout, show no suspicion; a crashed
 * member is suspected by every survivor within timeout + (probes + 1) x probe-interval + one interval = 1.4 s.
 */
class FailureDetectionProperties {
    private static final int[] SIZES = {3, 5, 7};
    private static final long BOUND_NS = 1_400_000_000L;

    static LongStream seeds() {
        return Seeds.of(30);
    }

    private static Simulator.Options base(final long seed) {
        return Simulator.options().stack("fd-test").members(SIZES[(int) (seed % 3)]).seed(seed).messages(1000)
            .payload(8, 1000).settle(3_000_000_000L);
    }

    @ParameterizedTest(name = "fault-free, seed {0}")
    @MethodSource("seeds")
    void shouldNeverSuspectAnyoneWithoutFaults(final long seed) {
        final SimulationResult r = base(seed).faults(FaultSchedule.links(
            LinkConditions.CLEAN.withDelay(20_000_000L, 30_000_000L)))
            .check(Set.of("I1", "I2", "I3", "I4", "F1", "D1")).run();
        r.assertNoViolations();
        assertThat(r.trace().events()).noneMatch(e -> e.type() == TraceEvent.Type.SUSPECT);
    }

    @ParameterizedTest(name = "crash, seed {0}")
    @MethodSource("seeds")
    void shouldSuspectACrashedMemberEverywhereWithinTheBound(final long seed) {
        final int n = SIZES[(int) (seed % 3)];
        final long crashAt = 300_000_000L + seed * 7_000_000L;
        final SimulationResult r = base(seed).faults(new FaultSchedule(List.of(
            new FaultSchedule.Action(crashAt, FaultSchedule.Kind.CRASH, List.of(n - 1), null)))).run();
        final long crashTime = r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.CRASH)
            .findFirst().orElseThrow().t();
        final List<TraceEvent> suspicions = r.trace().events().stream()
            .filter(e -> e.type() == TraceEvent.Type.SUSPECT).toList();
        assertThat(suspicions).extracting(TraceEvent::src).containsOnly("m" + (n - 1) + "#0");
        assertThat(suspicions).extracting(TraceEvent::p).doesNotHaveDuplicates().hasSize(n - 1);
        final long worst = suspicions.stream().mapToLong(e -> e.t() - crashTime).max().orElseThrow();
        assertThat(worst).as("detection time %d ms", worst / 1_000_000).isLessThanOrEqualTo(BOUND_NS);
        System.out.printf("seed %d, N=%d: crashed member suspected everywhere after %d ms%n", seed, n,
            worst / 1_000_000);
    }
}
