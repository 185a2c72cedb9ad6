package io.cairn.configs;

import io.cairn.testkit.sim.FaultRows;
import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F17 (forged frames) and F18 (replays) against {@code secure-total} in the simulator. Each run is paired with the
 * same seed and schedule less the forgeries and replays: the attacker draws from its own generator, so the pair
 * differ only in what the attacker injected. The run under attack must then keep every promise, and show exactly
 * the paired run's installs, sends and deliveries (so: no delivery, no view change, no suspicion the attacker
 * caused) and one more rejected frame per frame injected, each refused by the seal.
 */
class SecureStackProperties {
    private static final long SEND_INTERVAL_NS = 1_000_000L;
    private static final int MESSAGES = 1200;
    private static final Set<String> SEAL_REASONS = Set.of("forged", "replay", "unsealed");
    private static final Set<TraceEvent.Type> BEHAVIOUR = Set.of(TraceEvent.Type.INSTALL, TraceEvent.Type.SEND,
        TraceEvent.Type.DELIVER, TraceEvent.Type.SUSPECT, TraceEvent.Type.EXIT, TraceEvent.Type.STATE_SENT);

    static Stream<Arguments> cells() {
        return Stream.of(Arguments.of("F17", 3, 1L), Arguments.of("F17", 5, 2L), Arguments.of("F18", 3, 3L),
            Arguments.of("F18", 5, 4L));
    }

    private static Simulator.Options options(final long seed, final int n, final FaultSchedule faults,
                                             final String row) {
        return Simulator.options().stack("secure-total").members(n).seed(seed).messages(MESSAGES)
            .sendInterval(SEND_INTERVAL_NS).payload(8, 1500).blockingCasts().settle(8_000_000_000L)
            .faults(faults).replayFaultsAs("--fault-row " + row);
    }

    @ParameterizedTest(name = "{0} at N = {1}, seed {2}")
    @MethodSource("cells")
    void shouldChangeNothingWhenFramesAreForgedOrReplayed(final String row, final int n, final long seed) {
        final FaultSchedule attacked = FaultRows.row(row, seed, n, MESSAGES * SEND_INTERVAL_NS);
        // The paired run steps through the same instants: an action is a step of the simulator's clock, so each
        // injection becomes a no-op there (clean links, as the rows leave them).
        final FaultSchedule quiet = new FaultSchedule(attacked.actions().stream()
            .map(a -> a.kind() == FaultSchedule.Kind.FORGE || a.kind() == FaultSchedule.Kind.REPLAY
                ? FaultSchedule.Action.links(a.atNs(), LinkConditions.CLEAN) : a).toList());

        final SimulationResult under = options(seed, n, attacked, row).run();
        final SimulationResult baseline = options(seed, n, quiet, row).run();

        under.assertNoViolations();
        baseline.assertNoViolations();
        final long injected = under.network().injected();
        assertThat(injected).as("frames the attacker injected").isGreaterThan(0);
        assertThat(firstDifference(behaviour(under), behaviour(baseline)))
            .as("first difference in installs, sends, deliveries, suspicions and exits, under attack | without; "
                + under.describe()).isEmpty();
        assertThat(sealRejects(under) - sealRejects(baseline)).as("frames refused by the seal beyond the baseline")
            .isEqualTo(injected);
        assertThat(under.sumCounter("stack.handler_errors")).isZero();
        System.out.println("secure " + row + " N=" + n + " seed " + seed + ": " + injected + " frames injected, all "
            + "refused; " + behaviour(under).size() + " events as without them");
    }

    private static List<String> behaviour(final SimulationResult r) {
        return r.trace().events().stream().filter(e -> BEHAVIOUR.contains(e.type())).map(TraceEvent::toString)
            .toList();
    }

    /** @return "" when equal, else the index and the two events where they first differ */
    private static String firstDifference(final List<String> a, final List<String> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            final String x = i < a.size() ? a.get(i) : "(end)";
            final String y = i < b.size() ? b.get(i) : "(end)";
            if (!x.equals(y)) {
                return "event " + i + " of " + a.size() + " | " + b.size() + ": " + x + " | " + y;
            }
        }
        return "";
    }

    private static long sealRejects(final SimulationResult r) {
        return r.trace().events().stream()
            .filter(e -> e.type() == TraceEvent.Type.REJECT && SEAL_REASONS.contains(e.name())).count();
    }
}
