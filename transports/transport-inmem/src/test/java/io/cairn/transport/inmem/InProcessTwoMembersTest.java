package io.cairn.transport.inmem;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.stack.runtime.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InProcessTwoMembersTest {
    private static final int CASTS = 100_000;

    /** Counts deliveries per sender and checks each sender's sequence numbers arrive in order without gaps. */
    private static final class Checker implements GroupListener {
        final AtomicLong fromA = new AtomicLong();
        final AtomicLong fromB = new AtomicLong();
        volatile String error;

        @Override
        public void onDeliver(final Delivery d) {
            final long seq = d.buffer().getLong(d.offset(), ByteOrder.LITTLE_ENDIAN);
            final AtomicLong counter = d.sender().name().equals("a") ? fromA : fromB;
            if (seq != counter.get() + 1 && error == null) {
                error = "from " + d.sender() + " expected " + (counter.get() + 1) + " got " + seq;
            }
            counter.set(seq);
        }
    }

    private static Config config(final String network, final ThreadingMode mode) {
        return ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", network,
            "cairn.node.threading", mode.name().toLowerCase())).withFallback(ConfigFactory.load());
    }

    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = {"DEDICATED", "SHARED"})
    void shouldDeliverEveryCastInSenderOrderWhenBothMembersSend(final ThreadingMode mode) throws Exception {
        final String network = "two-" + mode;
        final Config members = ConfigFactory.parseString("cairn.stack.members = [a, b]");
        final Checker atA = new Checker();
        final Checker atB = new Checker();
        try (Node a = Node.builder().name("a").config(config(network, mode)).build();
             Node b = Node.builder().name("b").config(config(network, mode)).build()) {
            final Group ga = a.join("g", "raw", members, atA);
            final Group gb = b.join("g", "raw", members, atB);
            final Thread sendA = sender(ga);
            final Thread sendB = sender(gb);
            sendA.join();
            sendB.join();
            awaitCount(List.of(atA.fromA, atA.fromB, atB.fromA, atB.fromB));
            assertThat(ga.stats().get("stack.tx_dropped")).isZero();
            assertThat(gb.stats().get("stack.rx_queue_full")).isZero();
            assertThat(ga.stats().get("stack.rx_queue_full")).isZero();
        }
        assertThat(atA.error).isNull();
        assertThat(atB.error).isNull();
        assertThat(List.of(atA.fromA.get(), atA.fromB.get(), atB.fromA.get(), atB.fromB.get()))
            .containsOnly((long) CASTS);
    }

    @Test
    void shouldDeliverPointToPointSendsOnlyToTheDestination() throws Exception {
        final Config members = ConfigFactory.parseString("cairn.stack.members = [a, b]");
        final Checker atA = new Checker();
        final Checker atB = new Checker();
        try (Node a = Node.builder().name("a").config(config("p2p", ThreadingMode.INVOKER)).build();
             Node b = Node.builder().name("b").config(config("p2p", ThreadingMode.INVOKER)).build()) {
            final Group ga = a.join("g", "raw", members, atA);
            a.join("g", "raw", members, atA).close();
            final Group ga2 = a.join("g", "raw", members, atA);
            b.join("g", "raw", members, atB);
            final byte[] one = new byte[8];
            new UnsafeBuffer(one).putLong(0, 1, ByteOrder.LITTLE_ENDIAN);
            ga2.send(new io.cairn.api.MemberId("b", 0), one, Duration.ofSeconds(1));
            a.doWork();
            b.doWork();
            assertThat(ga.view()).isNotNull();
        }
        assertThat(atB.fromA.get()).isEqualTo(1);
        assertThat(atA.fromA.get()).isZero();
    }

    private static Thread sender(final Group g) {
        final Thread t = new Thread(() -> {
            final byte[] payload = new byte[100];
            final UnsafeBuffer b = new UnsafeBuffer(payload);
            for (long i = 1; i <= CASTS; i++) {
                b.putLong(0, i, ByteOrder.LITTLE_ENDIAN);
                g.cast(payload, Duration.ofSeconds(30));
            }
        });
        t.start();
        return t;
    }

    private static void awaitCount(final List<AtomicLong> counters) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counters.stream().anyMatch(c -> c.get() < CASTS) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
