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
 * {@code sequencer-total} over virtual synchrony ({@code total-test}), N in {3, 5}: zero violations of T1–T3
 * (checked without trusting gseq for T2), F1, I1–I4, M1–M5, V1–V4, S1, under loss, sequencer crashes with orders in
 * flight (F08), cascading crashes (F09) and churn with state transfer (T3 from the joiner's cut).
 */
class SequencerTotalProperties {
    private static final long T = 1_000_000_000L;
    private static final Set<String> PROPS = new TreeSet<>(TraceChecker.propertiesFor(
        StackAssemblerAccess.provides("total-test")));

    static LongStream seeds() {
        return Seeds.of(100);
    }

    private static Simulator.Options base(final long seed) {
        return Simulator.options().stack("total-test").members(seed % 2 == 0 ? 3 : 5).seed(seed).messages(2000)
            .sendInterval(2_000_000L).payload(8, 2000).settle(6_000_000_000L).check(PROPS);
    }

    private static SimulationResult check(final Simulator.Options o) {
        final SimulationResult r = o.run();
        r.assertNoViolations();
        assertThat(r.report().checked()).contains("T1", "T2", "T3", "V2");
        assertThat(r.trace().events()).anyMatch(e -> e.type() == TraceEvent.Type.DELIVER && e.gseq() > 0);
        return r;
    }

    @ParameterizedTest(name = "loss, seed {0}")
    @MethodSource("seeds")
    void shouldAgreeOnOneOrderUnderLossDuplicationAndReordering(final long seed) {
        check(base(seed).faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.1).withDuplicate(0.1)
            .withReorder(0.2))));
    }

    @ParameterizedTest(name = "sequencer crash, seed {0}")
    @MethodSource("seeds")
    void shouldKeepOneOrderWhenTheSequencerCrashesWithOrdersInFlight(final long seed) {
        // F08: the sequencer (oldest member) crashes at a random point of the traffic, with 10 % loss so that
        // orders and casts are in flight or partially received.
        check(base(seed).faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.1)).plus(List.of(
            new Action(T + new SplittableRandom(seed).nextLong(3_000_000_000L), Kind.CRASH, List.of(0), null)))));
    }

    @ParameterizedTest(name = "cascading crashes, seed {0}")
    @MethodSource("seeds")
    void shouldKeepOneOrderThroughCascadingSequencerCrashes(final long seed) {
        // F09: the sequencer, then its successor a little later, with traffic throughout (N = 5).
        final SplittableRandom rnd = new SplittableRandom(seed);
        final long first = T + rnd.nextLong(1_000_000_000L);
        check(base(seed).members(5).faults(new FaultSchedule(List.of(
            new Action(first, Kind.CRASH, List.of(0), null),
            new Action(first + 1_100_000_000L + rnd.nextLong(400_000_000L), Kind.CRASH, List.of(1 + rnd.nextInt(4)),
                null)))));
    }

    @ParameterizedTest(name = "churn, seed {0}")
    @MethodSource("seeds")
    void shouldContinueTheOrderForJoinersFromTheirStateCut(final long seed) {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final List<Action> churn = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            final int m = 1 + rnd.nextInt(2);
            final long at = T + k * 300_000_000L;
            churn.add(new Action(at, Kind.CRASH, List.of(m), null));
            churn.add(new Action(at + 50_000_000L, Kind.RESTART, List.of(m), null));
        }
        final SimulationResult r = check(base(seed).members(5).faults(new FaultSchedule(churn)));
        assertThat(r.trace().events()).anyMatch(e -> e.type() == TraceEvent.Type.STATE_RECV && e.gseq() > 0);
    }
}
