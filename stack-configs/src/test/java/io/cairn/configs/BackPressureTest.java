package io.cairn.configs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the public API: a member whose application consumes deliveries later (manual consumption) and has not
 * consumed anything makes the sender's {@code tryCast} report would-block once the credit is used up; when the
 * application reports its consumption, casting resumes. Nothing is dropped.
 */
class BackPressureTest {
    private static boolean await(final BooleanSupplier c, final long seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    @Test
    void shouldReportWouldBlockUntilTheSlowApplicationConsumes() throws Exception {
        final Config overrides = ConfigFactory.parseString("cairn.stack { members = [a, b], "
            + "layer.credit-flow { max-credits = 64K } }");
        final AtomicLong queuedAtB = new AtomicLong();
        final AtomicLong deliveredAtA = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<Group> bGroup =
            new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.atomic.AtomicBoolean consuming = new java.util.concurrent.atomic.AtomicBoolean();
        final List<Node> nodes = new ArrayList<>();
        try {
            final Node a = Node.builder().name("a").config(ConfigFactory.parseMap(Map.of(
                "cairn.transport.inproc.network", "backpressure")).withFallback(ConfigFactory.load())).build();
            final Node b = Node.builder().name("b").config(ConfigFactory.parseMap(Map.of(
                "cairn.transport.inproc.network", "backpressure", "cairn.node.manual-consumption", true))
                .withFallback(ConfigFactory.load())).build();
            nodes.add(a);
            nodes.add(b);
            final Group ga = a.join("bp", "reliable-fifo", overrides, new GroupListener() {
                @Override
                public void onDeliver(final Delivery d) {
                    deliveredAtA.incrementAndGet();
                }
            });
            final Group gb = b.join("bp", "reliable-fifo", overrides, new GroupListener() {
                @Override
                public void onDeliver(final Delivery d) {
                    queuedAtB.addAndGet(d.length());
                    if (consuming.get()) {
                        bGroup.get().consumed(queuedAtB.getAndSet(0));
                    }
                }
            });
            bGroup.set(gb);
            assertThat(await(() -> ga.view() != null && gb.view() != null, 10)).isTrue();
            final byte[] kb = new byte[1024];
            int accepted = 0;
            while (accepted < 10_000 && ga.tryCast(kb)) {
                accepted++;
            }
            assertThat(accepted).as("64 KiB of credit, and the command ring, then would-block").isLessThan(10_000);
            final int first = accepted;
            assertThat(await(() -> queuedAtB.get() >= 64L * 1024 - 1024, 10)).isTrue();
            assertThat(ga.tryCast(kb)).as("b's application has consumed nothing").isFalse();
            // The application catches up and from now on keeps up.
            consuming.set(true);
            gb.consumed(queuedAtB.getAndSet(0));
            assertThat(await(() -> ga.tryCast(kb), 10)).as("consumption earns credit again").isTrue();
            assertThat(await(() -> deliveredAtA.get() >= first + 1, 10)).as("nothing was dropped").isTrue();
        } finally {
            nodes.forEach(Node::close);
        }
    }
}
