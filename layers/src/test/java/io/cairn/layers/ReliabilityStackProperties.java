package io.cairn.layers;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault-matrix rows F01–F04 (CORRECTNESS.md §2) at the CI tier for the stack
 * {@code [fragmentation, nak-reliability, fifo, stability]}: every seed runs about 2,000 casts of 8 B to 4 frames
 * from random members of a group of 2, 3 or 5 and must show zero violations of I1, I2, I3, I4 and F1, with every
 * retransmission copy released by stability at the end. {@code -Dcairn.seed=S} replays one seed,
 * {@code -Dcairn.seeds=N} runs more.
 */
class ReliabilityStackProperties {
    private static final int FRAME = 1500;
    private static final int[] GROUP_SIZES = {2, 3, 5};

    static LongStream seeds() {
        return Seeds.of(200);
    }

    private static Simulator.Options base(final long seed) {
        return Simulator.options().stack("reliable-fifo-test").members(GROUP_SIZES[(int) (seed % 3)]).seed(seed)
            .messages(2000).payload(8, 4 * FRAME).maxFrameLength(FRAME).settle(10_000_000_000L);
    }

    private static void runClean(final Simulator.Options o) {
        final SimulationResult r = o.run();
        r.assertNoViolations();
        assertThat(r.report().checked()).contains("I1", "I2", "I4", "F1");
        final long delivered = r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER).count();
        assertThat(delivered).as("every member delivered every cast").isEqualTo(2000L * r.members().size());
        assertThat(r.sumCounter("nak-reliability.gauge.retransmit_bytes")).as("stability released every copy")
            .isZero();
    }

    @ParameterizedTest(name = "F01 baseline, seed {0}")
    @MethodSource("seeds")
    void shouldDeliverEverythingInFifoOrderWithoutFaults(final long seed) {
        runClean(base(seed));
    }

    @ParameterizedTest(name = "F02 loss, seed {0}")
    @MethodSource("seeds")
    void shouldRecoverFromRandomAndBurstyLoss(final long seed) {
        final List<LinkConditions> variants = List.of(LinkConditions.CLEAN.withLoss(0.01),
            LinkConditions.CLEAN.withLoss(0.10), LinkConditions.CLEAN.withLoss(0.30),
            LinkConditions.CLEAN.withBurstLoss(0.20, 0.75));
        runClean(base(seed).faults(FaultSchedule.links(variants.get((int) (seed % variants.size())))));
    }

    @ParameterizedTest(name = "F03 duplication, seed {0}")
    @MethodSource("seeds")
    void shouldNeverDeliverDuplicates(final long seed) {
        final FaultSchedule everywhere = FaultSchedule.links(LinkConditions.CLEAN.withDuplicate(0.2));
        final FaultSchedule oneLink = new FaultSchedule(List.of(new FaultSchedule.Action(0,
            FaultSchedule.Kind.LINK, List.of(0, 1), LinkConditions.CLEAN.withDuplicate(1.0))));
        runClean(base(seed).faults(seed % 2 == 0 ? everywhere : oneLink));
    }

    @ParameterizedTest(name = "F04 reordering, seed {0}")
    @MethodSource("seeds")
    void shouldKeepFifoOrderUnderReordering(final long seed) {
        // 20 % of frames held up to 5 ms, or every frame shuffled within a window of about 100 sends (50 ms).
        final LinkConditions c = seed % 2 == 0 ? LinkConditions.CLEAN.withReorder(0.2)
            : LinkConditions.CLEAN.withReorder(1.0, 50_000_000L);
        runClean(base(seed).faults(FaultSchedule.links(c)));
    }
}
