package io.cairn.transport.rdma;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.HostileFrames;
import io.cairn.testkit.LiveGroup;
import io.cairn.transport.rdma.verbs.emu.EmulatedVerbs;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two RDMA transports over soft verbs with plain frame receivers (no stack): ring wrap-around, credit exhaustion
 * and back-pressure, completion delays, and a queue-pair error followed by a new link.
 */
class RdmaLinkTest {
    private static final int GROUP = 42;
    private final List<RdmaTransport> open = new ArrayList<>();

    /** Records frames by their sequence (bytes 32..40 of the frame); refuses them while {@code refuse} is set. */
    private static final class Sink implements FrameReceiver {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final AtomicBoolean refuse = new AtomicBoolean();

        @Override
        public boolean onFrame(final DirectBuffer b, final int offset, final int length) {
            if (refuse.get()) {
                return false;
            }
            seqs.add(b.getLong(offset + FrameHeader.LENGTH, ByteOrder.LITTLE_ENDIAN));
            return true;
        }

        boolean inOrder(final int from, final int count) {
            if (seqs.size() != count) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (seqs.get(i) != from + i) {
                    return false;
                }
            }
            return true;
        }
    }

    private RdmaTransport transport(final String address, final String extra) {
        final Config c = ConfigFactory.parseString("provider = soft\naddress = \"" + address + "\"\n"
                + "initial-members = [\"" + address.replace("-b", "-a") + "\", \"" + address.replace("-a", "-b")
                + "\"]\nring-size = 64K\nmax-frame-size = 8K\nsend-queue = 1M\n" + extra)
            .withFallback(ConfigFactory.load().getConfig("cairn.transport.rdma"));
        final RdmaTransport t = new RdmaTransport(c, address);
        open.add(t);
        return t;
    }

    @AfterEach
    void close() {
        open.forEach(RdmaTransport::close);
    }

    private static UnsafeBuffer frame(final long seq, final int payload) {
        final byte[] f = java.util.Arrays.copyOf(HostileFrames.header(GROUP, FrameHeader.LENGTH + payload, 64),
            FrameHeader.LENGTH + payload);
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putLong(FrameHeader.LENGTH, seq, ByteOrder.LITTLE_ENDIAN);
        return b;
    }

    private static int send(final TransportChannel ch, final int from, final int count, final int payload)
        throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            final UnsafeBuffer f = frame(i, payload);
            while (!ch.unicast(MemberId.keyOf("b", 0), f, 0, f.capacity())) {
                Thread.sleep(1);
            }
            ch.flush();
        }
        return count;
    }

    private record Pair(RdmaTransport a, RdmaTransport b, TransportChannel fromA, Sink atB) {
    }

    private Pair pair(final String name, final String extra) throws InterruptedException {
        final RdmaTransport a = transport(name + "-a", extra);
        final RdmaTransport b = transport(name + "-b", extra);
        final Sink atB = new Sink();
        final TransportChannel fromA = a.bind(GROUP, new MemberId("a", 0), new Sink());
        b.bind(GROUP, new MemberId("b", 0), atB);
        assertThat(LiveGroup.await(() -> a.stats().get("links") == 1 && b.stats().get("links") == 1, 10))
            .as("linked: " + a.stats() + " " + b.stats()).isTrue();
        return new Pair(a, b, fromA, atB);
    }

    @Test
    void shouldWrapTheRingAndDeliverInOrder() throws Exception {
        final Pair p = pair("wrap", "");
        send(p.fromA, 0, 2000, 1000);
        assertThat(LiveGroup.await(() -> p.atB.seqs.size() == 2000, 30)).isTrue();
        assertThat(p.atB.inOrder(0, 2000)).isTrue();
        assertThat(p.a.stats().get("ring_wraps")).as("2 MB through a 64 KiB ring").isGreaterThanOrEqualTo(20);
    }

    @Test
    void shouldStopAtExhaustedCreditWhileTheReceiverRefusesThenDeliverEverything() throws Exception {
        final Pair p = pair("credit", "");
        p.atB.refuse.set(true);
        send(p.fromA, 0, 300, 1000);
        assertThat(LiveGroup.await(() -> p.a.stats().get("credit_stalls") > 0, 10))
            .as("the 64 KiB ring fills: the sender waits for credit " + p.a.stats()).isTrue();
        assertThat(p.atB.seqs).as("nothing was dropped or delivered meanwhile").isEmpty();
        p.atB.refuse.set(false);
        assertThat(LiveGroup.await(() -> p.atB.seqs.size() == 300, 30)).isTrue();
        assertThat(p.atB.inOrder(0, 300)).isTrue();
        assertThat(p.b.stats().get("malformed")).isZero();
    }

    @Test
    void shouldDeliverInOrderWhenCompletionsAreDelayed() throws Exception {
        final Pair p = pair("delay", "emulation.completion-delay = 3ms");
        send(p.fromA, 0, 500, 200);
        assertThat(LiveGroup.await(() -> p.atB.seqs.size() == 500, 30)).isTrue();
        assertThat(p.atB.inOrder(0, 500)).isTrue();
    }

    @Test
    void shouldTreatAQueuePairErrorAsAFailedPeerAndLinkAgain() throws Exception {
        final Pair p = pair("qperr", "");
        send(p.fromA, 0, 100, 100);
        assertThat(LiveGroup.await(() -> p.atB.seqs.size() == 100, 10)).isTrue();
        ((EmulatedVerbs) p.b.verbs()).breakQueuePairsTo("qperr-a");
        assertThat(LiveGroup.await(() -> p.a.stats().get("links_failed") == 1 && p.b.stats().get("links_failed") == 1,
            10)).as("both ends saw the error: " + p.a.stats() + " " + p.b.stats()).isTrue();
        assertThat(LiveGroup.await(() -> p.a.stats().get("links") == 2 && p.b.stats().get("links") == 2, 10))
            .as("b dialled a again: " + p.b.stats()).isTrue();
        send(p.fromA, 100, 100, 100);
        assertThat(LiveGroup.await(() -> p.atB.seqs.size() == 200, 10)).isTrue();
        assertThat(p.atB.inOrder(0, 200)).as("nothing was in flight when the link broke").isTrue();
    }

    @Test
    void shouldCountFramesOfUnknownGroups() throws Exception {
        final Pair p = pair("group", "");
        final UnsafeBuffer f = new UnsafeBuffer(HostileFrames.header(GROUP + 1, 64, 64));
        p.fromA.unicast(MemberId.keyOf("b", 0), f, 0, 64);
        p.fromA.flush();
        assertThat(LiveGroup.await(() -> p.b.stats().get("unknown_group") == 1, 10)).isTrue();
        assertThat(p.b.stats()).containsEntry("malformed", 0L);
        assertThat(Map.copyOf(p.b.stats())).containsEntry("links_failed", 0L);
    }
}
