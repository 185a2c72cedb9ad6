package io.cairn.configs;

import io.cairn.api.Group;
import io.cairn.api.Node;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group's counters through the platform MBean server: the node registers {@code io.cairn:type=Group,...} at join,
 * a layer counter read over JMX equals {@link Group#stats()}, and closing the group unregisters it.
 */
class GroupJmxTest {
    @Test
    void aLayerCounterIsReadableOverJmx() throws Exception {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName name = new ObjectName("io.cairn:type=Group,node=\"jmx#0\",group=\"jmx-g\"");
        final AtomicInteger delivered = new AtomicInteger();
        try (Node n = Node.builder().name("jmx").config(ConfigFactory.parseString(
            "cairn.transport.inproc.network = jmx-" + System.nanoTime())).build()) {
            final Group g = n.join("jmx-g", "vsync", ConfigFactory.parseString("cairn.stack.members = [jmx]"),
                d -> delivered.incrementAndGet());
            g.awaitView(Duration.ofSeconds(20));
            for (int i = 0; i < 5; i++) {
                g.cast(new byte[16]);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (delivered.get() < 5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(delivered.get()).isEqualTo(5);
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(Arrays.stream(server.getMBeanInfo(name).getAttributes()).map(a -> a.getName()))
                .contains("nak-reliability.sent", "stack.handler_errors");
            final long sent = (Long) server.getAttribute(name, "nak-reliability.sent");
            assertThat(sent).isGreaterThanOrEqualTo(5).isEqualTo(g.stats().get("nak-reliability.sent"));
            assertThat((Long) server.getAttribute(name, "stack.handler_errors")).isZero();
            g.close();
            assertThat(server.isRegistered(name)).isFalse();
        }
    }
}
