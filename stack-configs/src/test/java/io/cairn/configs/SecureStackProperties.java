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
    private static final Set<String> SEAL_REASONS = Set.of("forged", "replay", "unsealed", "unverified", "no_key");
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

    /**
     * Key rotation: members crash, restart, leave and rejoin all through the run, so that views change at least 20
     * times under traffic. Each view's coordinator makes a key and hands it to that view's members; every promise
     * holds (I3 and I4: nothing is lost across the changes), and the members sealed their data under the key of
     * nearly every view (the gauge {@code view_key_epoch}, sampled every 100 ms, misses only views that lived
     * shorter than that).
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {11, 12})
    void shouldRotateTheViewKeyAtEveryViewChangeAndLoseNothing(final long seed) {
        final int n = 5;
        final int messages = 7000;
        // Every 400 ms a member leaves and comes back 250 ms later as a new incarnation (the coordinator too, every
        // fourth time), and twice a member crashes and restarts: two view changes each.
        final List<FaultSchedule.Action> actions = new java.util.ArrayList<>();
        final long ms = 1_000_000L;
        for (int k = 0; k < 16; k++) {
            final int m = k % 4 == 3 ? 0 : 1 + (int) ((k + seed) % (n - 1));
            final long at = (200 + 400L * k) * ms;
            actions.add(FaultSchedule.Action.on(at, FaultSchedule.Kind.LEAVE, m));
            actions.add(FaultSchedule.Action.on(at + 250 * ms, FaultSchedule.Kind.RESTART, m));
        }
        actions.add(FaultSchedule.Action.on(1_000 * ms, FaultSchedule.Kind.CRASH, 2));
        actions.add(FaultSchedule.Action.on(2_500 * ms, FaultSchedule.Kind.RESTART, 2));
        actions.sort(java.util.Comparator.comparingLong(FaultSchedule.Action::atNs));
        final FaultSchedule churn = new FaultSchedule(actions);
        final SimulationResult r = Simulator.options().stack("secure-total").members(n).seed(seed).messages(messages)
            .sendInterval(SEND_INTERVAL_NS).payload(8, 1500).blockingCasts().settle(8_000_000_000L).faults(churn)
            .run();
        r.assertNoViolations();
        final java.util.Map<Long, Long> installedAt = new java.util.TreeMap<>();
        final Set<Long> keyed = new java.util.HashSet<>();
        for (final TraceEvent e : r.trace().events()) {
            if (e.type() == TraceEvent.Type.INSTALL) {
                installedAt.putIfAbsent(TraceEvent.epochOf(e.vid()), e.t());
            } else if (e.type() == TraceEvent.Type.GAUGE && "view_key_epoch".equals(e.name())) {
                keyed.add(e.value());
            }
        }
        final List<Long> epochs = List.copyOf(installedAt.keySet());
        final List<Long> lasting = new java.util.ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            final long end = i + 1 < epochs.size() ? installedAt.get(epochs.get(i + 1)) : Long.MAX_VALUE;
            if (end - installedAt.get(epochs.get(i)) >= 300_000_000L) {
                lasting.add(epochs.get(i));
            }
        }
        assertThat(epochs).as("views installed").hasSizeGreaterThanOrEqualTo(20);
        assertThat(keyed).as("views whose key sealed data, of those that lasted 300 ms or more")
            .containsAll(lasting);
        System.out.println("secure rotation seed " + seed + ": " + epochs.size() + " views, " + lasting.size()
            + " lasting 300 ms or more, keys used in " + keyed.size() + ", made "
            + r.sumCounter("encrypt.view_keys_made") + " by the last incarnations");
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
