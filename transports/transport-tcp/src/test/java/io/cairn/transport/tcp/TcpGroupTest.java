package io.cairn.transport.tcp;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Node;
import io.cairn.stack.spi.Property;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import io.cairn.testkit.HostileFrames;
import io.cairn.testkit.LiveGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups over real TCP connections on 127.0.0.1: reliable FIFO with a lossy layer dropping 10 % of data frames
 * below the reliability layers, checked by the trace checker; and malformed streams thrown at a live member.
 */
class TcpGroupTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "F1", "V1", "V4", "M1", "M2", "M3", "E1");

    /** N members of {@code tcp-lossy-test} in a full mesh (each dials the earlier ones). */
    private static LiveGroup members(final int n, final int port) {
        return new LiveGroup(n, "tcp-test-" + port, "tcp-lossy-test", Set.of(Property.FIFO), (i, earlier) ->
            ConfigFactory.parseMap(Map.of("cairn.transport.tcp.initial-members", addresses(earlier))));
    }

    private static List<String> addresses(final List<Node> nodes) {
        return nodes.stream().map(x -> ((TcpTransport) x.transport("tcp")).localAddress())
            .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    }

    private static TcpTransport transport(final LiveGroup m, final int i) {
        return (TcpTransport) m.nodes().get(i).transport("tcp");
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {3, 5})
    void shouldDeliverEveryCastOverTcpDespiteLoss(final int n) throws Exception {
        final int total = 100_000;
        try (LiveGroup m = members(n, 100 + n)) {
            m.castFromAll(total / n, 64);
            final long expected = (long) n * (total / n) * n;
            assertThat(LiveGroup.await(() -> m.delivered() == expected, 120)).as("delivered " + m.delivered() + " of "
                + expected).isTrue();
            m.recordHandlerErrors();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
            assertThat(m.groups().get(0).stats().entrySet()).as("the lossy layer really dropped frames")
                .anyMatch(e -> e.getKey().startsWith("lossy.") && e.getKey().contains("drop") && e.getValue() > 0);
        }
    }

    @Test
    void shouldDropAndCountMalformedStreamsAndKeepWorking() throws Exception {
        try (LiveGroup m = members(2, 120)) {
            m.castFromAll(100, 64);
            assertThat(LiveGroup.await(() -> m.delivered() == 400, 30)).isTrue();
            final InetSocketAddress target = transport(m, 0).localAddress();
            final int groupId = FrameHeader.groupIdOf("tcp-test-120");
            final byte[] junk = new byte[1400];
            new java.util.Random(7).nextBytes(junk);
            final byte[] magic = HostileFrames.header(groupId, 64, 64);
            magic[0] ^= 0x55;
            final List<byte[]> bad = List.of(
                junk,                                                     // no HELLO
                concat(hello(), HostileFrames.header(groupId, Integer.MAX_VALUE, 64)),  // absurd length
                concat(hello(), HostileFrames.header(groupId, 16, 64)),                 // length below the header
                concat(hello(), magic),                                  // wrong magic
                concat(hello(), HostileFrames.header(groupId + 1, 64, 64)),             // another group
                concat(hello(), HostileFrames.header(groupId, 64, 64)),                 // well framed, not a valid stack frame
                concat(hello(), java.util.Arrays.copyOf(HostileFrames.header(groupId, 64, 64), 40))); // truncated, then EOF
            for (final byte[] b : bad) {
                try (SocketChannel raw = SocketChannel.open(target)) {
                    raw.write(ByteBuffer.wrap(b));
                }
            }
            assertThat(LiveGroup.await(() -> transport(m, 0).stats().get("malformed") >= 4
                && transport(m, 0).stats().get("unknown_group") >= 1, 10)).as(transport(m, 0).stats().toString())
                .isTrue();
            assertThat(LiveGroup.await(() -> m.groups().get(0).stats().entrySet().stream()
                .anyMatch(e -> e.getKey().contains("reject") && e.getValue() > 0), 10))
                .as("the stack rejected and counted the well-framed garbage: " + m.groups().get(0).stats()).isTrue();
            m.castFromAll(100, 64);
            assertThat(LiveGroup.await(() -> m.delivered() == 800, 30)).as("still working").isTrue();

            m.recordHandlerErrors();

            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        }
    }

    private static byte[] hello() {
        final ByteBuffer b = ByteBuffer.allocate(Connection.HELLO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        Connection.writeHello(b, 777L, 1);
        return b.array();
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
