package io.cairn.transport.tcp;

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
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP transport's I/O loop on the thread that runs the stacks ({@code io-on-stack-thread}): the owner accepts,
 * reads and writes only when it polls, a wait ends on input or a wakeup, and the transport's own thread takes over
 * (in order, nothing lost, frames the owner queued included) when a second owner asks, when a stack binds with no
 * owner or when the owner lets go; and through {@link Node}, groups deliver with one thread per node (DEDICATED,
 * SHARED) or with the own thread once two groups' threads need the connections.
 */
class TcpStackThreadIoTest {
    private static final int GROUP = FrameHeader.groupIdOf("io-test");
    private static final MemberId SELF = new MemberId("self", 0);
    private static final long PEER_KEY = 0x5EED_0001L;

    /** Frames received: the int after the header, and the thread that handed it over. */
    private static final class Recorder implements FrameReceiver {
        final List<Integer> seen = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length) {
            seen.add(buffer.getInt(offset + FrameHeader.LENGTH, FrameHeader.ORDER));
            threads.add(Thread.currentThread());
            return true;
        }
    }

    /** A peer node played by the test over a plain socket: says HELLO, sends frames, reads what comes back. */
    private static final class Peer implements AutoCloseable {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

        Peer(final TcpTransport t) throws IOException {
            ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", t.localAddress().getPort()));
            final ByteBuffer hello = ByteBuffer.allocate(Connection.HELLO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            Connection.writeHello(hello, PEER_KEY, 1);
            hello.flip();
            write(hello);
            ch.configureBlocking(false);
        }

        /** Sends frames {@code from} until {@code to} (exclusive). */
        void send(final int from, final int to) throws IOException {
            final ByteBuffer b = ByteBuffer.allocate((to - from) * (FrameHeader.LENGTH + 4)).order(FrameHeader.ORDER);
            for (int i = from; i < to; i++) {
                b.put(frame(i));
            }
            b.flip();
            write(b);
        }

        private void write(final ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        /** @return the frame numbers received so far after the transport's HELLO (reads without blocking) */
        List<Integer> received() {
            try {
                ch.read(in);
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
            final List<Integer> out = new ArrayList<>();
            for (int p = Connection.HELLO_LENGTH; p + FrameHeader.LENGTH + 4 <= in.position();
                 p += FrameHeader.LENGTH + 4) {
                out.add(in.getInt(p + FrameHeader.LENGTH));
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static ByteBuffer frame(final int i) {
        final ByteBuffer b = ByteBuffer.allocate(FrameHeader.LENGTH + 4).order(FrameHeader.ORDER);
        b.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC);
        b.putInt(FrameHeader.GROUP_OFFSET, GROUP);
        b.putInt(FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.LENGTH + 4);
        b.putInt(FrameHeader.LENGTH, i);
        return b;
    }

    private static void unicast(final TransportChannel ch, final int i) {
        final ByteBuffer b = frame(i);
        assertThat(ch.unicast(PEER_KEY, new UnsafeBuffer(b), 0, b.capacity())).isTrue();
        ch.flush();
    }

    private static TcpTransport transport(final boolean onStackThread) {
        final Config c = ConfigFactory.parseMap(Map.of("io-on-stack-thread", onStackThread))
            .withFallback(ConfigFactory.load().getConfig("cairn.transport.tcp"));
        return new TcpTransport(c, "io-test");
    }

    private static List<Integer> upTo(final int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Polls (bounded: 10 s) until {@code done}. */
    private static void pollUntil(final ReceivePoller p, final BooleanSupplier done) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            if (p.poll() == 0) {
                p.await(1_000_000);
            }
        }
    }

    @Test
    void shouldAcceptReadAndWriteOnTheOwnersThreadWhenItPollsAndInOrder() throws Exception {
        try (TcpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("owner");
            assertThat(p).isNotNull();
            assertThat(t.receiveOn("owner")).as("the same owner again (a rejoin)").isSameAs(p);
            final Recorder r = new Recorder();
            final TransportChannel ch = t.bind(GROUP, SELF, r);
            try (Peer peer = new Peer(t)) {
                peer.send(0, 100);
                pollUntil(p, () -> r.seen.size() >= 100);
                assertThat(r.seen).isEqualTo(upTo(100));
                assertThat(r.threads).containsOnly(Thread.currentThread());
                for (int i = 0; i < 50; i++) {
                    unicast(ch, i);
                }
                pollUntil(p, () -> peer.received().size() >= 50);
                assertThat(peer.received()).as("written by the owner's polls").isEqualTo(upTo(50));
                assertThat(t.ioThreadRuns()).isFalse();
                assertThat(t.stats().get("connections")).isEqualTo(1);
            }
            ch.close();
        }
    }

    @Test
    void shouldHandOverToItsOwnThreadInOrderWhenASecondOwnerAsks() throws Exception {
        try (TcpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("first");
            final Recorder r = new Recorder();
            final TransportChannel ch = t.bind(GROUP, SELF, r);
            try (Peer peer = new Peer(t)) {
                peer.send(0, 200);
                pollUntil(p, () -> !r.seen.isEmpty());
                // Queued by the owner's thread, which then skips the wakeup: the handover must write it.
                unicast(ch, 7);
                assertThat(t.receiveOn("second")).as("one loop, one thread").isNull();
                assertThat(t.ioThreadRuns()).isTrue();
                assertThat(p.poll()).as("the first owner turns the loop no more").isZero();
                peer.send(200, 300);
                assertThat(LiveGroup.await(() -> r.seen.size() == 300, 10)).as(r.seen.size() + " of 300").isTrue();
                assertThat(r.seen).isEqualTo(upTo(300));
                assertThat(r.threads.get(0)).isSameAs(Thread.currentThread());
                assertThat(r.threads.get(299).getName()).isEqualTo("cairn-tcp-io-test");
                assertThat(LiveGroup.await(() -> peer.received().equals(List.of(7)), 10))
                    .as("the frame queued before the handover: " + peer.received()).isTrue();
                unicast(ch, 8);
                assertThat(LiveGroup.await(() -> peer.received().equals(List.of(7, 8)), 10)).isTrue();
                assertThat(t.receiveOn("first")).as("the own thread runs the loop for good").isNull();
            }
        }
    }

    @Test
    void shouldHandOverInOrderWhileTheOwnersThreadPollsWaitsAndQueues() throws Exception {
        try (TcpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("first");
            final Recorder r = new Recorder();
            final TransportChannel ch = t.bind(GROUP, SELF, r);
            try (Peer peer = new Peer(t)) {
                final AtomicBoolean stop = new AtomicBoolean();
                final AtomicLong queued = new AtomicLong();
                // The owner as a stack thread would be: a cycle that queues a frame, then a poll, then a short wait.
                final Thread owner = new Thread(() -> {
                    while (!stop.get()) {
                        if (r.seen.size() > queued.get()) {
                            unicast(ch, (int) queued.getAndIncrement());
                        }
                        if (p.poll() == 0) {
                            p.await(200_000);
                        }
                    }
                }, "owner");
                owner.start();
                for (int i = 0; i < 400; i++) {
                    peer.send(i, i + 1);
                    if (i == 200) {
                        assertThat(t.receiveOn("second")).isNull();
                    }
                }
                assertThat(LiveGroup.await(() -> r.seen.size() == 400, 10)).as(r.seen.size() + " of 400").isTrue();
                stop.set(true);
                owner.join(10_000);
                assertThat(r.seen).isEqualTo(upTo(400));
                final int n = (int) queued.get();
                assertThat(LiveGroup.await(() -> peer.received().size() == n, 10))
                    .as("every frame the owner queued, across the handover: " + peer.received().size() + " of " + n)
                    .isTrue();
                assertThat(peer.received()).isEqualTo(upTo(n));
                assertThat(t.ioThreadRuns()).isTrue();
            }
        }
    }

    @Test
    void shouldRunItsOwnThreadWhenAStackBindsWithNoOwnerOrTheOwnerLetsGo() throws Exception {
        try (TcpTransport unclaimed = transport(true); TcpTransport released = transport(true);
             TcpTransport off = transport(false)) {
            assertThat(off.receiveOn("owner")).as("io-on-stack-thread = false").isNull();
            final ReceivePoller p = released.receiveOn("owner");
            final List<TcpTransport> all = List.of(unclaimed, released, off);
            final List<Recorder> rs = new ArrayList<>();
            for (final TcpTransport t : all) {
                final Recorder r = new Recorder();
                rs.add(r);
                t.bind(GROUP, SELF, r);
            }
            assertThat(released.ioThreadRuns()).isFalse();
            released.releaseReceive("owner");
            assertThat(p.poll()).isZero();
            // Let go with no stack bound: peers still send on the connection, so the own thread keeps reading it.
            try (TcpTransport emptied = transport(true); Peer peer = new Peer(emptied)) {
                final ReceivePoller q = emptied.receiveOn("owner");
                emptied.bind(GROUP, SELF, new Recorder()).close();
                pollUntil(q, () -> emptied.stats().get("connections") == 1);
                emptied.releaseReceive("owner");
                assertThat(emptied.ioThreadRuns()).isTrue();
                peer.send(0, 10);
                assertThat(LiveGroup.await(() -> emptied.stats().get("unknown_group") == 10, 10))
                    .as(emptied.stats().toString()).isTrue();
            }
            for (int i = 0; i < all.size(); i++) {
                final Recorder r = rs.get(i);
                assertThat(all.get(i).ioThreadRuns()).isTrue();
                try (Peer peer = new Peer(all.get(i))) {
                    peer.send(0, 50);
                    assertThat(LiveGroup.await(() -> r.seen.size() == 50, 10)).isTrue();
                    assertThat(r.seen).isEqualTo(upTo(50));
                }
            }
        }
    }

    @Test
    void shouldEndAWaitOnAWakeupAndOnInput() throws Exception {
        try (TcpTransport t = transport(true)) {
            final ReceivePoller p = t.receiveOn("owner");
            t.bind(GROUP, SELF, new Recorder());
            try (Peer peer = new Peer(t)) {
                pollUntil(p, () -> t.stats().get("connections") == 1 && p.poll() == 0);
                ReceivePollerChecks.awaitEndsOnWakeupAndInput(p, () -> peer.send(0, 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = {"DEDICATED", "SHARED"})
    void shouldDeliverWithTheStackThreadRunningTheLoopOrItsOwnThreadOnceTwoThreadsNeedIt(final ThreadingMode mode)
        throws Exception {
        ReceivePollerChecks.twoGroupsOnThreeNodes(mode, "tcp-vsync-test",
            (i, earlier) -> ConfigFactory.parseMap(Map.of("cairn.transport.tcp.initial-members", earlier.stream()
                .map(x -> ((TcpTransport) x.transport("tcp")).localAddress())
                .map(a -> a.getHostString() + ":" + a.getPort()).toList())),
            // Two dedicated threads cannot share the connections: then the transport's thread runs the loop.
            (n, both) -> assertThat(((TcpTransport) n.transport("tcp")).ioThreadRuns()).as(n + ", both " + both)
                .isEqualTo(both && mode == ThreadingMode.DEDICATED));
    }
}
