package io.cairn.layers;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.FaultScript;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast {@code nak-reliability} recovers a long burst of loss, the kind an overflowing receive queue causes under
 * load: member 1 hears nothing from member 0 for 40 ms while the group casts every 20 µs, so about 650 of member
 * 0's casts are missing at member 1 at once, and one NAK's answer brings at most 64. NAKing again once an answer has
 * arrived in full recovers the burst within a few round trips of the link coming back; NAKing once per
 * {@code nak-interval} (10 ms) took about 100 ms more. {@code -Dcairn.seed=S} replays one seed.
 */
class NakRecoveryProperties {
    private static final long BLACKOUT_FROM_NS = 100_000_000L;
    private static final long BLACKOUT_NS = 40_000_000L;

    static LongStream seeds() {
        return Seeds.of(4);
    }

    @ParameterizedTest(name = "burst recovery, seed {0}")
    @MethodSource("seeds")
    void shouldRecoverALongBurstWithinRoundTripsNotNakIntervals(final long seed) {
        final FaultSchedule blackout = FaultScript.parse("blackout", BLACKOUT_FROM_NS / 1_000_000
            + "ms link 0>1 loss=1\n" + (BLACKOUT_FROM_NS + BLACKOUT_NS) / 1_000_000 + "ms link 0>1 clear\n", 3);
        final SimulationResult r = Simulator.options().stack("reliable-fifo-test").members(3).seed(seed)
            .messages(20_000).payload(64, 64).sendInterval(20_000L).settle(5_000_000_000L).faults(blackout).run();
        r.assertNoViolations();
        final String m0 = r.members().get(0).id().toString();
        final String m1 = r.members().get(1).id().toString();
        final Map<Long, Long> sentAt = new HashMap<>();
        // Trace time counts from the simulator clock's start, the fault script's from the first cast.
        final long t0 = r.trace().events().get(0).t();
        final long linkBack = t0 + BLACKOUT_FROM_NS + BLACKOUT_NS;
        long lost = 0;
        long worst = 0;
        for (final TraceEvent e : r.trace().events()) {
            if (e.type() == TraceEvent.Type.SEND && e.p().equals(m0)) {
                sentAt.put(e.seq(), e.t());
                if (e.t() - t0 >= BLACKOUT_FROM_NS && e.t() - t0 < BLACKOUT_FROM_NS + BLACKOUT_NS) {
                    lost++;
                }
            } else if (e.type() == TraceEvent.Type.DELIVER && e.p().equals(m1) && m0.equals(e.src())) {
                // From when the cast could first get through: its send, or the link's return.
                worst = Math.max(worst, e.t() - Math.max(sentAt.get(e.seq()), linkBack));
            }
        }
        final long retransmitted = r.sumCounter("nak-reliability.retransmitted");
        assertThat(lost).as("a burst longer than one NAK's answer").isGreaterThan(300);
        assertThat(worst).as("seed %d: recovery after the link came back (ns), %d casts lost", seed,
            lost).isLessThan(20_000_000L);
        // Asking again on a full answer must not turn into asking for what is already on its way.
        assertThat(retransmitted).as("seed %d: retransmissions for %d lost casts", seed, lost).isLessThan(2 * lost);
    }
}
