package io.cairn.transport.udp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.stack.event.MemberId;
import io.cairn.stack.spi.Property;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import io.cairn.testkit.trace.TraceRecorder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups over real UDP sockets on 127.0.0.1 (multicast on lo, TTL 0; and unicast fan-out): reliable FIFO with a
 * lossy layer dropping 10 % of data frames below the reliability layers, checked by the trace checker; and
 * malformed datagrams thrown at a live member.
 */
class UdpGroupTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "F1", "V1", "V4", "M1", "M2", "M3");

    /** N members of {@code udp-lossy-test} on their own multicast port, each recording the trace. */
    private static final class Members implements AutoCloseable {
        final Trace trace = new Trace();
        final List<Node> nodes = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        final List<TraceRecorder> recorders = new ArrayList<>();

        Members(final int n, final int port, final String mode) {
            final String names = IntStream.range(0, n).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
            final Config members = ConfigFactory.parseString("cairn.stack.members = [" + names + "]");
            final List<String> seeds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final Config cfg = ConfigFactory.parseMap(Map.of("cairn.transport.udp.multicast-port", port,
                    "cairn.transport.udp.mode", mode, "cairn.transport.udp.initial-members", List.copyOf(seeds)))
                    .withFallback(ConfigFactory.load());
                final Node node = Node.builder().name("m" + i).config(cfg).build();
                nodes.add(node);
                final TraceRecorder r = new TraceRecorder(trace, Set.of(Property.FIFO), null)
                    .self(new MemberId("m" + i, 0));
                recorders.add(r);
                groups.add(node.join("udp-test-" + port, "udp-lossy-test", members, r));
                final InetSocketAddress a = ((UdpTransport) node.transport("udp")).localAddress();
                seeds.add(a.getHostString() + ":" + a.getPort());
            }
        }

        UdpTransport transport(final int i) {
            return (UdpTransport) nodes.get(i).transport("udp");
        }

        /** Every member casts {@code each} payloads of {@code size} bytes from its own thread. */
        void castFromAll(final int each, final int size) throws InterruptedException {
            // Casts are recorded in the view the recorder has seen: wait until every member has one.
            assertThat(await(() -> trace.events().stream().filter(e -> e.type() == TraceEvent.Type.INSTALL).count()
                >= groups.size(), 10)).isTrue();
            final List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                final int k = i;
                final Thread t = new Thread(() -> {
                    for (int j = 0; j < each; j++) {
                        recorders.get(k).cast(groups.get(k), new byte[size], Duration.ofSeconds(30));
                    }
                });
                senders.add(t);
                t.start();
            }
            for (final Thread t : senders) {
                t.join();
            }
        }

        long delivered() {
            return trace.events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER).count();
        }

        @Override
        public void close() {
            nodes.forEach(Node::close);
        }
    }

    private static boolean await(final BooleanSupplier condition, final long seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {3, 5})
    void shouldDeliverEveryCastOverIpMulticastDespiteLoss(final int n) throws Exception {
        final int total = 100_000;
        try (Members m = new Members(n, 45600 + n, "multicast")) {
            m.castFromAll(total / n, 64);
            final long expected = (long) n * (total / n) * n;
            assertThat(await(() -> m.delivered() == expected, 120)).as("delivered " + m.delivered() + " of "
                + expected).isTrue();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace.events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
            assertThat(m.groups.get(0).stats().entrySet()).as("the lossy layer really dropped frames")
                .anyMatch(e -> e.getKey().startsWith("lossy.") && e.getKey().contains("drop") && e.getValue() > 0);
        }
    }

    @Test
    void shouldDeliverEveryCastByUnicastFanOut() throws Exception {
        try (Members m = new Members(3, 45610, "unicast")) {
            m.castFromAll(5_000, 200);
            assertThat(await(() -> m.delivered() == 3L * 5_000 * 3, 60)).as("delivered " + m.delivered()).isTrue();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace.events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        }
    }

    @Test
    void shouldDropAndCountMalformedDatagramsAndKeepWorking() throws Exception {
        try (Members m = new Members(2, 45620, "multicast");
             DatagramChannel raw = DatagramChannel.open(StandardProtocolFamily.INET)) {
            m.castFromAll(100, 64);
            assertThat(await(() -> m.delivered() == 400, 30)).isTrue();
            final InetSocketAddress target = m.transport(0).localAddress();
            final int groupId = FrameHeader.groupIdOf("udp-test-45620");
            final List<byte[]> bad = new ArrayList<>();
            bad.add(new byte[10]);                                        // truncated
            bad.add(frame(groupId, 5000, 64));                            // length field beyond the datagram
            bad.add(frame(groupId, Integer.MAX_VALUE, 64));               // absurd length
            final byte[] magic = frame(groupId, 64, 64);
            magic[0] ^= 0x55;
            bad.add(magic);                                               // wrong magic
            bad.add(frame(groupId + 1, 64, 64));                          // another group
            final byte[] junk = new byte[1400];
            new java.util.Random(7).nextBytes(junk);
            bad.add(junk);                                                // random bytes
            bad.add(frame(groupId, 64, 64));                              // well framed, but not a valid stack frame
            for (final byte[] b : bad) {
                raw.send(ByteBuffer.wrap(b), target);
            }
            assertThat(await(() -> m.transport(0).stats().get("malformed") >= 4
                && m.transport(0).stats().get("unknown_group") >= 1, 10)).as(m.transport(0).stats().toString())
                .isTrue();
            assertThat(await(() -> m.groups.get(0).stats().entrySet().stream()
                .anyMatch(e -> e.getKey().contains("reject") && e.getValue() > 0), 10))
                .as("the stack rejected and counted the well-framed garbage: " + m.groups.get(0).stats()).isTrue();
            m.castFromAll(100, 64);
            assertThat(await(() -> m.delivered() == 800, 30)).as("still working").isTrue();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace.events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        }
    }

    /** A frame header with the given group and length field, in a datagram of {@code size} bytes. */
    private static byte[] frame(final int groupId, final int lengthField, final int size) {
        final byte[] b = new byte[size];
        final UnsafeBuffer u = new UnsafeBuffer(b);
        u.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC, ByteOrder.LITTLE_ENDIAN);
        u.putByte(FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        u.putInt(FrameHeader.GROUP_OFFSET, groupId, ByteOrder.LITTLE_ENDIAN);
        u.putLong(FrameHeader.SENDER_OFFSET, 424242L, ByteOrder.LITTLE_ENDIAN);
        u.putInt(FrameHeader.FRAME_LENGTH_OFFSET, lengthField, ByteOrder.LITTLE_ENDIAN);
        return b;
    }
}
