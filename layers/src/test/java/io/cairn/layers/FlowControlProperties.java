package io.cairn.layers;

import io.cairn.stack.config.StackAssemblerAccess;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F12: one member's application consumes at a tenth of the offered rate. {@code credit-flow} over virtual
 * synchrony ({@code flow-test}), N = 3, 100,000 casts of 1 KiB from applications that block when their stack
 * pushes back: nothing is lost (I1–I4, F1, V1–V4), unacknowledged bytes stay within the credit (FC1 on the
 * {@code unacked_bytes} gauge), the slow member's unconsumed deliveries stay within N x credit, and senders keep
 * going at the slow member's pace instead of stalling or overrunning it.
 */
class FlowControlProperties {
    private static final long CREDITS = 2L << 20;
    private static final int MESSAGES = 100_000;
    private static final int SIZE = 1024;
    /** Offered: one cast every 100 us (10 MB/s); the slow member consumes 1 MB/s. */
    private static final long INTERVAL_NS = 100_000L;
    private static final long SLOW_RATE = 1_000_000L;

    static LongStream seeds() {
        return Seeds.of(2);
    }

    @ParameterizedTest(name = "slow receiver, seed {0}")
    @MethodSource("seeds")
    void shouldThrottleSendersToTheSlowestConsumerWithoutLoss(final long seed) {
        final Set<String> props = new TreeSet<>(TraceChecker.propertiesFor(StackAssemblerAccess.provides("flow-test")));
        assertThat(props).contains("FC1");
        final SimulationResult r = Simulator.options().stack("flow-test").members(3).seed(seed).messages(MESSAGES)
            .payload(SIZE, SIZE).sendInterval(INTERVAL_NS).slowConsumer(2, SLOW_RATE).blockingCasts()
            .settle(8_000_000_000L).unackedBound(CREDITS).check(props).run();
        r.assertNoViolations();
        final List<TraceEvent> events = r.trace().events();
        final List<TraceEvent> sends = events.stream().filter(e -> e.type() == TraceEvent.Type.SEND).toList();
        assertThat(sends).as("every cast was eventually taken").hasSize(MESSAGES);
        assertThat(events.stream().filter(e -> e.type() == TraceEvent.Type.SUSPECT)).as("no false suspicion")
            .isEmpty();
        // Throttled, not stalled: in every 5 s window after the first (which also carries the casts queued before
        // the group formed) the group sent at least half of what the slow member consumes, and never more than that
        // plus every sender's credit.
        final long t0 = sends.get(0).t();
        final long span = sends.get(sends.size() - 1).t() - t0;
        assertThat(span).as("the offered 10 s took the slow member's ~100 s").isGreaterThan(60_000_000_000L);
        final long window = 5_000_000_000L;
        for (long from = t0 + window; from + window <= t0 + span; from += window) {
            final long a = from;
            final long inWindow = sends.stream().filter(e -> e.t() >= a && e.t() < a + window).count();
            assertThat(inWindow * SIZE).as("bytes sent in [" + a + ", +5 s)")
                .isGreaterThan(SLOW_RATE * 5 / 2).isLessThan(SLOW_RATE * 5 + 3 * CREDITS);
        }
        final long maxUnconsumed = events.stream().filter(e -> e.type() == TraceEvent.Type.GAUGE
            && "unconsumed_bytes".equals(e.name())).mapToLong(TraceEvent::value).max().orElseThrow();
        assertThat(maxUnconsumed).as("the slow member's delivery queue").isPositive()
            .isLessThanOrEqualTo(3 * CREDITS);
    }
}
