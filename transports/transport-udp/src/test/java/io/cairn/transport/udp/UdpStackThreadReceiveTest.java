package io.cairn.transport.udp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.stack.runtime.ThreadingMode;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.ReceivePoller;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.ReceivePollerChecks;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP transport's receive side on the thread that runs the stacks ({@code receive-on-stack-thread}): the owner
 * reads only when it polls, a wait ends on a datagram or a wakeup, and the transport's own threads take over (in
 * order, nothing lost) when a second owner asks, when a stack binds with no owner or when the owner lets go; and
 * through {@link Node}, groups deliver with one thread per node reading (DEDICATED, SHARED) or with the own
 * threads once two groups' threads need the same sockets.
 */
class UdpStackThreadReceiveTest {
    private static final int GROUP = FrameHeader.groupIdOf("receive-test");
    private static final MemberId SELF = new MemberId("self", 0);

    /** Frames received: the int after the header, and the thread that handed it over; refuses all while full. */
    private static final class Recorder implements FrameReceiver {
        final List<Integer> seen = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final AtomicLong refused = new AtomicLong();
        volatile boolean full;

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length) {
            if (full) {
                refused.incrementAndGet();
                return false;
            }
            seen.add(buffer.getInt(offset + FrameHeader.LENGTH, FrameHeader.ORDER));
            threads.add(Thread.currentThread());
            return true;
        }
    }

    private static UdpTransport transport(final boolean onStackThread) {
        return transport(onStackThread, "50ms");
    }

    private static UdpTransport transport(final boolean onStackThread, final String fullQueueWait) {
        final Config c = ConfigFactory.parseMap(Map.of("mode", "unicast", "receive-on-stack-thread", onStackThread,
                "full-queue-wait", fullQueueWait))
            .withFallback(ConfigFactory.load().getConfig("cairn.transport.udp"));
        return new UdpTransport(c, "receive-test");
    }

    /** Sends frames {@code from} until {@code to} (exclusive), one per datagram, to {@code t}'s unicast socket. */
    private static void send(final UdpTransport t, final int from, final int to) throws Exception {
        try (DatagramChannel out = DatagramChannel.open()) {
            final ByteBuffer b = ByteBuffer.allocate(FrameHeader.LENGTH + 4).order(FrameHeader.ORDER);
            for (int i = from; i < to; i++) {
                b.clear();
                b.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC);
                b.putInt(FrameHeader.GROUP_OFFSET, GROUP);
                b.putInt(FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.LENGTH + 4);
                b.putInt(FrameHeader.LENGTH, i);
                out.send(b, new InetSocketAddress("127.0.0.1", t.localAddress().getPort()));
            }
        }
    }

    private static List<Integer> upTo(final int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Polls until {@code n} frames arrived (bounded: 10 s). */
    private static void pollUntil(final ReceivePoller p, final Recorder r, final int n) {
        pollUntil(p, () -> r.seen.size() >= n);
    }

    /** Polls (bounded: 10 s) until {@code done}. */
    private static void pollUntil(final ReceivePoller p, final java.util.function.BooleanSupplier done) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            if (p.poll() == 0) {
                p.await(1_000_000);
            }
        }
    }

    /** Binds a stack whose queue is full, sends it frames 0 until {@code n} and polls until the owner holds one. */
    private static Recorder holding(final UdpTransport t, final ReceivePoller p, final int n) throws Exception {
        final Recorder r = new Recorder();
        t.bind(GROUP, SELF, r);
        r.full = true;
        send(t, 0, n);
        pollUntil(p, () -> r.refused.get() > 0);
        return r;
    }

    @Test
    void shouldReadOnTheOwnersThreadOnlyWhenItPollsAndInOrder() throws Exception {
        try (UdpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("owner");
            assertThat(p).isNotNull();
            assertThat(t.receiveOn("owner")).as("the same owner again (a rejoin)").isSameAs(p);
            final Recorder r = new Recorder();
            final TransportChannel ch = t.bind(GROUP, SELF, r);
            send(t, 0, 100);
            assertThat(t.receiveThreads()).isZero();
            pollUntil(p, r, 100);
            assertThat(r.seen).isEqualTo(upTo(100));
            assertThat(r.threads).containsOnly(Thread.currentThread());
            ch.close();
        }
    }

    @Test
    void shouldHoldAFrameForAFullQueueReadNothingMeanwhileAndKeepOrder() throws Exception {
        try (UdpTransport t = transport(true, "10m")) { // held for as long as this test takes
            final ReceivePoller p = t.receiveOn("owner");
            final Recorder r = holding(t, p, 5);
            final long refused = r.refused.get();
            assertThat(refused).isPositive();
            // Held: a poll tries the held frame again and reads no other datagram.
            assertThat(p.poll()).isZero();
            assertThat(r.refused.get()).isEqualTo(refused + 1);
            assertThat(t.stats().get("datagrams")).isEqualTo(1);
            r.full = false;
            pollUntil(p, r, 5);
            assertThat(r.seen).isEqualTo(upTo(5));
            assertThat(t.stats().get("dropped")).isZero();
        }
    }

    @Test
    void shouldDropAHeldFrameAfterTheFullQueueWaitAndGoOn() throws Exception {
        try (UdpTransport t = transport(true, "50ms")) {
            final ReceivePoller p = t.receiveOn("owner");
            final Recorder r = new Recorder();
            t.bind(GROUP, SELF, r);
            r.full = true;
            send(t, 0, 1);
            final long start = System.nanoTime();
            pollUntil(p, () -> t.stats().get("dropped") == 1);
            assertThat(t.stats().get("dropped")).isEqualTo(1);
            assertThat(System.nanoTime() - start).as("held for full-queue-wait first").isGreaterThanOrEqualTo(50_000_000L);
            r.full = false;
            send(t, 1, 3);
            pollUntil(p, r, 2);
            assertThat(r.seen).isEqualTo(List.of(1, 2));
        }
    }

    @Test
    void shouldHandOverToItsOwnThreadsInOrderWhenASecondOwnerAsks() throws Exception {
        try (UdpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("first");
            final Recorder r = new Recorder();
            t.bind(GROUP, SELF, r);
            send(t, 0, 200);
            pollUntil(p, r, 1);
            assertThat(t.receiveOn("second")).as("one socket, one reader").isNull();
            assertThat(t.receiveThreads()).isEqualTo(1);
            assertThat(p.poll()).as("the first owner reads no more").isZero();
            send(t, 200, 300);
            assertThat(LiveGroup.await(() -> r.seen.size() == 300, 10)).as(r.seen.size() + " of 300").isTrue();
            assertThat(r.seen).isEqualTo(upTo(300));
            assertThat(r.threads.get(0)).isSameAs(Thread.currentThread());
            assertThat(r.threads.get(299).getName()).isEqualTo("cairn-udp-unicast-receive-test");
            assertThat(t.receiveOn("first")).as("the own threads read for good").isNull();
        }
    }

    @Test
    void shouldHandAHeldFrameOnBeforeItsOwnThreadsReadOn() throws Exception {
        try (UdpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("first");
            final Recorder r = holding(t, p, 4);
            r.full = false;
            assertThat(t.receiveOn("second")).isNull();
            assertThat(LiveGroup.await(() -> r.seen.size() == 4, 10)).as(r.seen.size() + " of 4").isTrue();
            assertThat(r.seen).isEqualTo(upTo(4));
            assertThat(r.threads.get(0)).as("the held frame, by the second owner's call").isSameAs(Thread.currentThread());
        }
    }

    @Test
    void shouldReadOnItsOwnThreadsWhenAStackBindsWithNoOwnerOrTheOwnerLetsGo() throws Exception {
        try (UdpTransport unclaimed = transport(true); UdpTransport released = transport(true);
             UdpTransport off = transport(false)) {
            assertThat(off.receiveOn("owner")).as("receive-on-stack-thread = false").isNull();
            final ReceivePoller p = released.receiveOn("owner");
            final List<Recorder> rs = new ArrayList<>();
            for (final UdpTransport t : List.of(unclaimed, released, off)) {
                final Recorder r = new Recorder();
                rs.add(r);
                t.bind(GROUP, SELF, r);
            }
            assertThat(released.receiveThreads()).isZero();
            released.releaseReceive("owner");
            assertThat(p.poll()).isZero();
            for (int i = 0; i < 3; i++) {
                final UdpTransport t = List.of(unclaimed, released, off).get(i);
                final Recorder r = rs.get(i);
                assertThat(t.receiveThreads()).isEqualTo(1);
                send(t, 0, 50);
                assertThat(LiveGroup.await(() -> r.seen.size() == 50, 10)).isTrue();
                assertThat(r.seen).isEqualTo(upTo(50));
            }
        }
    }

    @Test
    void shouldEndAWaitOnAWakeupAndOnADatagram() throws Exception {
        try (UdpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("owner");
            t.bind(GROUP, SELF, new Recorder());
            ReceivePollerChecks.awaitEndsOnWakeupAndInput(p, () -> send(t, 0, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = {"DEDICATED", "SHARED"})
    void shouldDeliverWithTheStackThreadReadingOrItsOwnThreadsOnceTwoThreadsNeedTheSockets(final ThreadingMode mode)
        throws Exception {
        final int port = mode == ThreadingMode.SHARED ? 45631 : 45632;
        ReceivePollerChecks.twoGroupsOnThreeNodes(mode, "udp-plain-test",
            (i, earlier) -> ConfigFactory.parseMap(Map.of("cairn.transport.udp.multicast-port", port)),
            // Two dedicated threads cannot share a socket: then the transport's threads read (unicast, multicast).
            (n, both) -> assertThat(((UdpTransport) n.transport("udp")).receiveThreads()).as(n + ", both " + both)
                .isEqualTo(both && mode == ThreadingMode.DEDICATED ? 2 : 0));
    }
}
