package io.cairn.transport.udp;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.stack.spi.Property;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F17 and F18 over real UDP on 127.0.0.1 against a live N = 3 group of {@code udp-secure-test} (secure-total over
 * UDP, unicast fan-out). The attacker is listed among the members' peers, so it receives their sealed frames; it
 * replays them, forges variants of them (spoofed sender, changed body, unsealed), and runs a group of its own under
 * the same group name with the members' names, once with another secret and once without encryption, whose JOINs,
 * INSTALLs, GRANTs, heartbeats, state transfer and casts all reach the members. Nothing of it may be delivered or
 * change a view; every injected frame is counted as refused; the members' own traffic goes on.
 */
class UdpSecureGroupTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "F1", "V1", "V4", "M1", "M2", "M3", "E1");
    private static final String GROUP = "udp-secure";

    @TempDir
    Path dir;

    private static List<String> addresses(final List<Node> nodes) {
        return nodes.stream().map(x -> ((UdpTransport) x.transport("udp")).localAddress())
            .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    }

    private static InetSocketAddress address(final Node n) {
        return ((UdpTransport) n.transport("udp")).localAddress();
    }

    private Path secret(final String name, final long seed) throws Exception {
        final byte[] s = new byte[32];
        new java.util.Random(seed).nextBytes(s);
        return Files.write(dir.resolve(name), s);
    }

    private static long refused(final Group g) {
        return LiveGroup.refusedBySeal(g);
    }

    @Test
    void shouldRefuseEveryForgedOrReplayedFrameAndChangeNothing() throws Exception {
        final Path key = secret("group.key", 1);
        try (DatagramChannel rogue = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rogue.bind(new InetSocketAddress("127.0.0.1", 0));
            final String rogueAddress = "127.0.0.1:" + ((InetSocketAddress) rogue.getLocalAddress()).getPort();
            try (LiveGroup m = new LiveGroup(3, GROUP, "udp-secure-test", Set.of(Property.FIFO), (i, earlier) -> {
                final List<String> peers = new ArrayList<>(addresses(earlier));
                peers.add(rogueAddress);
                return ConfigFactory.parseMap(Map.of("cairn.transport.udp.mode", "unicast",
                    "cairn.transport.udp.initial-members", peers, "cairn.layer.encrypt.secret-file", key.toString()));
            })) {
                assertThat(LiveGroup.await(m::formed, 30)).as("formed").isTrue();
                m.castFromAll(200, 100);
                assertThat(LiveGroup.await(() -> m.delivered() == 3L * 200 * 3, 60)).as("delivered " + m.delivered())
                    .isTrue();
                final List<byte[]> captured = capture(rogue, 150);
                assertThat(captured).as("sealed frames the members sent the attacker").hasSizeGreaterThan(20);

                final List<String> views = m.groups().stream().map(g -> g.view().id().toString()).toList();
                final long delivered = m.delivered();
                // A frame a member dropped for want of its view key (before the coordinator's key reached it) and
                // sees again after the key arrived is taken once, like a late copy (its layers drop the duplicate):
                // the seal may let through as many of the replays as the member dropped that way.
                final long[] before = m.groups().stream().mapToLong(g -> refused(g)
                    - g.stats().getOrDefault("stack.reject_no_key", 0L)).toArray();
                int perMember = 0;
                for (int k = 0; k < captured.size(); k++) {
                    for (final byte[] attack : variants(captured.get(k))) {
                        for (final Node n : m.nodes()) {
                            rogue.send(ByteBuffer.wrap(attack), address(n));
                        }
                        perMember++;
                    }
                    if (k % 20 == 19 || k == captured.size() - 1) {
                        // In batches, so that no socket buffer overflows: each frame sent must be seen refused.
                        final int expected = perMember;
                        assertThat(LiveGroup.await(() -> allRefused(m, before, expected), 30))
                            .as("every injected frame refused: " + expected + " per member; refused since: "
                                + java.util.stream.IntStream.range(0, 3).mapToObj(i -> refused(m.groups().get(i))
                                - before[i]).toList() + "; " + sealStats(m) + "; " + transportStats(m))
                            .isTrue();
                    }
                }
                final int expected = perMember;

                rogueGroups(m, key);

                assertThat(m.delivered()).as("nothing of the attacker's delivered").isEqualTo(delivered);
                assertThat(m.groups().stream().map(g -> g.view().id().toString()).toList()).as("no view change")
                    .isEqualTo(views);
                m.castFromAll(200, 100);
                assertThat(LiveGroup.await(() -> m.delivered() == delivered + 3L * 200 * 3, 60))
                    .as("the members' own traffic goes on: " + m.delivered()).isTrue();
                m.recordHandlerErrors();
                final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
                assertThat(report.violations()).as(report.summary()).isEmpty();
                System.out.println("udp F17/F18: " + captured.size() + " captured frames, " + expected
                    + " injected per member, all refused; views " + views);
            }
        }
    }

    /** Two rogue groups of two under the members' names, reaching every member: another secret, then none. */
    private void rogueGroups(final LiveGroup m, final Path key) throws Exception {
        final long[] before = m.groups().stream().mapToLong(UdpSecureGroupTest::refused).toArray();
        final List<String> targets = addresses(m.nodes());
        for (final String stack : List.of("udp-secure-test", "udp-plain-test")) {
            final Path other = secret("other-" + stack, 99);
            try (LiveGroup rogue = new LiveGroup(2, GROUP, stack, Set.of(Property.FIFO), (i, earlier) -> {
                final List<String> peers = new ArrayList<>(addresses(earlier));
                peers.addAll(targets);
                return ConfigFactory.parseMap(Map.of("cairn.transport.udp.mode", "unicast",
                    "cairn.transport.udp.initial-members", peers, "cairn.layer.encrypt.secret-file", other.toString()));
            })) {
                assertThat(LiveGroup.await(rogue::formed, 30)).as("the rogue group formed (" + stack + ")").isTrue();
                rogue.castFromAll(100, 100);
                assertThat(LiveGroup.await(() -> rogue.delivered() == 2L * 100 * 2, 30)).isTrue();
                assertThat(rogue.groups().get(0).self()).isEqualTo(new MemberId("m0", 0));
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat(refused(m.groups().get(i)) - before[i]).as("frames of the rogue groups refused at m" + i)
                .isPositive();
        }
    }

    private static boolean allRefused(final LiveGroup m, final long[] before, final int expected) {
        for (int i = 0; i < before.length; i++) {
            if (refused(m.groups().get(i)) - before[i] < expected) {
                return false;
            }
        }
        return true;
    }

    private static String sealStats(final LiveGroup m) {
        return m.groups().stream().map(g -> new java.util.TreeMap<>(g.stats()).entrySet().stream()
            .filter(e -> e.getValue() != 0 && (e.getKey().startsWith("encrypt.") || e.getKey().contains("reject")))
            .toList().toString()).toList().toString();
    }

    private static String transportStats(final LiveGroup m) {
        return m.nodes().stream().map(n -> ((UdpTransport) n.transport("udp")).stats().toString()).toList().toString();
    }

    /** A replay, a spoofed sender, a changed body and an unsealed copy of a captured frame. */
    private static List<byte[]> variants(final byte[] frame) {
        final byte[] spoofed = frame.clone();
        new UnsafeBuffer(spoofed).putLong(FrameHeader.SENDER_OFFSET, new MemberId("m1", 0).key(),
            FrameHeader.ORDER);
        final byte[] changed = frame.clone();
        changed[changed.length - 20] ^= 0x40;
        final byte[] unsealed = frame.clone();
        unsealed[FrameHeader.FLAGS_OFFSET] &= (byte) ~FrameHeader.FLAG_SEALED;
        return List.of(frame, spoofed, changed, unsealed);
    }

    /** Frames the members sent the attacker, split out of their bundles. */
    private static List<byte[]> capture(final DatagramChannel rogue, final int max) throws Exception {
        rogue.configureBlocking(false);
        final List<byte[]> frames = new ArrayList<>();
        final ByteBuffer bb = ByteBuffer.allocate(65536);
        final UnsafeBuffer b = new UnsafeBuffer(bb);
        final long end = System.nanoTime() + 5_000_000_000L;
        try (Selector selector = Selector.open()) {
            rogue.register(selector, SelectionKey.OP_READ);
            while (frames.size() < max && System.nanoTime() < end) {
                bb.clear();
                if (rogue.receive(bb) == null) {
                    selector.select(100);
                    selector.selectedKeys().clear();
                    continue;
                }
                split(b, bb.position(), frames, max);
            }
        }
        return frames;
    }

    private static void split(final UnsafeBuffer b, final int length, final List<byte[]> frames, final int max) {
        {
            int o = 0;
            while (o + FrameHeader.LENGTH <= length && frames.size() < max) {
                final int len = b.getInt(o + FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.ORDER);
                if (len < FrameHeader.LENGTH || o + len > length) {
                    break;
                }
                final byte[] f = new byte[len];
                b.getBytes(o, f);
                if ((f[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_SEALED) != 0) {
                    frames.add(f);
                }
                o += len;
            }
        }
    }
}
