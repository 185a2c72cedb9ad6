package io.cairn.layers;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 casts through {@code [fragmentation, nak-reliability, fifo, stability]} under 10 % loss: the checker
 * passes and the retransmission buffer, sampled as a gauge every 100 ms of virtual time, stays bounded — it does
 * not grow with the number of messages — and is empty at the end.
 */
class ReliabilityLongRunTest {
    @Test
    void shouldKeepTheRetransmissionBufferBoundedThroughAHundredThousandMessages() {
        final SimulationResult r = Simulator.options().stack("reliable-fifo-test").members(3).seed(42)
            .messages(100_000).payload(8, 1000).sendInterval(100_000L).settle(10_000_000_000L)
            .faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.10))).run();
        r.assertNoViolations();
        final List<TraceEvent> gauges = r.trace().events().stream()
            .filter(e -> e.type() == TraceEvent.Type.GAUGE && "retransmit_bytes".equals(e.name())).toList();
        assertThat(gauges.size()).isGreaterThan(300);
        final long firstHalfMax = gauges.subList(0, gauges.size() / 2).stream().mapToLong(TraceEvent::value).max()
            .orElseThrow();
        final long secondHalfMax = gauges.subList(gauges.size() / 2, gauges.size()).stream()
            .mapToLong(TraceEvent::value).max().orElseThrow();
        System.out.printf("retransmit_bytes gauge: %d samples, max %d B in the first half, %d B in the second%n",
            gauges.size(), firstHalfMax, secondHalfMax);
        assertThat(Math.max(firstHalfMax, secondHalfMax)).as("bounded by what flows during a few gossip rounds")
            .isLessThan(4L << 20);
        assertThat(secondHalfMax).as("no growth with the message count").isLessThan(2 * firstHalfMax + (256 << 10));
        assertThat(gauges.get(gauges.size() - 1).value()).isZero();
    }
}
