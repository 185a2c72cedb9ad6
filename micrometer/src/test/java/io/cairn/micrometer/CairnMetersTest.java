package io.cairn.micrometer;

import io.cairn.api.Group;
import io.cairn.api.Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The counter GroupJmxTest reads over JMX, read from a {@link SimpleMeterRegistry}: the same value. */
class CairnMetersTest {
    @Test
    void aLayerCounterIsAMeterTaggedByGroupAndLayer() {
        final AtomicInteger delivered = new AtomicInteger();
        try (Node n = Node.builder().name("mm").config(ConfigFactory.parseString(
            "cairn.transport.inproc.network = mm-" + System.nanoTime())).build()) {
            final Group g = n.join("mm-g", "vsync", ConfigFactory.parseString("cairn.stack.members = [mm]"),
                d -> delivered.incrementAndGet());
            g.awaitView(Duration.ofSeconds(20));
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new CairnMeters(g).bindTo(registry);
            for (int i = 0; i < 5; i++) {
                g.cast(new byte[16]);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (delivered.get() < 5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            final double sent = registry.get("cairn.nak-reliability.sent").tag("group", "mm-g")
                .tag("layer", "nak-reliability").functionCounter().count();
            assertThat(sent).isGreaterThanOrEqualTo(5).isEqualTo((double) g.stats().get("nak-reliability.sent"));
            assertThat(registry.get("cairn.stack.handler_errors").functionCounter().count()).isZero();
        }
    }
}
