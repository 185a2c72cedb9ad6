package io.cairn.testkit.trace;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.stack.spi.Property;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorder works on real-time stacks: real threads, the in-process transport, wall-clock times. */
class TraceRecorderTest {
    private static final int CASTS = 5000;

    @Test
    void shouldRecordARealTimeGroupWhoseTraceTheCheckerAccepts() throws Exception {
        final Trace trace = new Trace();
        final Config members = ConfigFactory.parseString("cairn.stack.members = [a, b, c]");
        final List<Node> nodes = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        final List<TraceRecorder> recorders = new ArrayList<>();
        try {
            for (final String n : List.of("a", "b", "c")) {
                final Config cfg = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "recorder-test"))
                    .withFallback(ConfigFactory.load());
                final Node node = Node.builder().name(n).config(cfg).build();
                nodes.add(node);
                final TraceRecorder r = new TraceRecorder(trace, Set.of(Property.FIFO), null)
                    .self(new io.cairn.api.MemberId(n, 0));
                recorders.add(r);
                groups.add(node.join("rec", "sim-raw", members, r));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (groups.stream().anyMatch(g -> g.view() == null) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            final List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final int k = i;
                final Thread t = new Thread(() -> {
                    for (int j = 0; j < CASTS; j++) {
                        recorders.get(k).cast(groups.get(k), new byte[64], Duration.ofSeconds(10));
                    }
                });
                senders.add(t);
                t.start();
            }
            for (final Thread t : senders) {
                t.join();
            }
            while (trace.events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER).count() < 9L * CASTS
                && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // E1: every member's handler errors; then c leaves (a static group: it exits at once, reason "left").
            for (int i = 0; i < 3; i++) {
                recorders.get(i).recordHandlerErrors(groups.get(i));
            }
            recorders.get(2).leaveRequested();
            groups.get(2).leave();
            final long exitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (trace.events().stream().noneMatch(e -> e.type() == TraceEvent.Type.EXIT)
                && System.nanoTime() < exitDeadline) {
                Thread.sleep(5);
            }
        } finally {
            nodes.forEach(Node::close);
        }
        final CheckReport report = new TraceChecker(Set.of("I1", "I2", "I3", "I4", "F1", "V1", "M1", "M2", "M3",
            "E1", "X1"), 0, false).check(trace.events());
        assertThat(report.violations()).as(report.summary()).isEmpty();
        assertThat(trace.events()).filteredOn(e -> e.type() == TraceEvent.Type.GAUGE
            && TraceEvent.HANDLER_ERRORS.equals(e.name())).extracting(TraceEvent::p)
            .containsExactlyInAnyOrder("a#0", "b#0", "c#0");
        assertThat(trace.events()).filteredOn(e -> e.type() == TraceEvent.Type.LEAVE || e.type() == TraceEvent.Type.EXIT)
            .extracting(e -> e.type() + " " + e.p() + " " + e.name())
            .containsExactly("LEAVE c#0 null", "EXIT c#0 left");
        assertThat(trace.events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER).count())
            .isEqualTo(9L * CASTS);
    }
}
