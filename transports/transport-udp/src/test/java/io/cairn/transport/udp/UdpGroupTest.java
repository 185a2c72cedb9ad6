package io.cairn.transport.udp;

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
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups over real UDP sockets on 127.0.0.1 (multicast on lo, TTL 0; and unicast fan-out): reliable FIFO with a
 * lossy layer dropping 10 % of data frames below the reliability layers, checked by the trace checker; and
 * malformed datagrams thrown at a live member.
 */
class UdpGroupTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "F1", "V1", "V4", "M1", "M2", "M3", "E1");

    /** N members of {@code udp-lossy-test} on their own multicast port. */
    private static LiveGroup members(final int n, final int port, final String mode) {
        return new LiveGroup(n, "udp-test-" + port, "udp-lossy-test", Set.of(Property.FIFO), (i, earlier) ->
            ConfigFactory.parseMap(Map.of("cairn.transport.udp.multicast-port", port, "cairn.transport.udp.mode",
                mode, "cairn.transport.udp.initial-members", addresses(earlier))));
    }

    private static List<String> addresses(final List<Node> nodes) {
        return nodes.stream().map(x -> ((UdpTransport) x.transport("udp")).localAddress())
            .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    }

    private static UdpTransport transport(final LiveGroup m, final int i) {
        return (UdpTransport) m.nodes().get(i).transport("udp");
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {3, 5})
    void shouldDeliverEveryCastOverIpMulticastDespiteLoss(final int n) throws Exception {
        final int total = 100_000;
        try (LiveGroup m = members(n, 45600 + n, "multicast")) {
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
    void shouldDeliverEveryCastByUnicastFanOut() throws Exception {
        try (LiveGroup m = members(3, 45610, "unicast")) {
            m.castFromAll(5_000, 200);
            assertThat(LiveGroup.await(() -> m.delivered() == 3L * 5_000 * 3, 60)).as("delivered " + m.delivered()).isTrue();
            m.recordHandlerErrors();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        }
    }

    @Test
    void shouldDropAndCountMalformedDatagramsAndKeepWorking() throws Exception {
        try (LiveGroup m = members(2, 45620, "multicast");
             DatagramChannel raw = DatagramChannel.open(StandardProtocolFamily.INET)) {
            m.castFromAll(100, 64);
            assertThat(LiveGroup.await(() -> m.delivered() == 400, 30)).isTrue();
            final InetSocketAddress target = transport(m, 0).localAddress();
            final int groupId = FrameHeader.groupIdOf("udp-test-45620");
            final List<byte[]> bad = new ArrayList<>();
            bad.add(new byte[10]);                                        // truncated
            bad.add(HostileFrames.header(groupId, 5000, 64));                            // length field beyond the datagram
            bad.add(HostileFrames.header(groupId, Integer.MAX_VALUE, 64));               // absurd length
            final byte[] magic = HostileFrames.header(groupId, 64, 64);
            magic[0] ^= 0x55;
            bad.add(magic);                                               // wrong magic
            bad.add(HostileFrames.header(groupId + 1, 64, 64));                          // another group
            final byte[] junk = new byte[1400];
            new java.util.Random(7).nextBytes(junk);
            bad.add(junk);                                                // random bytes
            bad.add(HostileFrames.header(groupId, 64, 64));                              // well framed, but not a valid stack frame
            for (final byte[] b : bad) {
                raw.send(ByteBuffer.wrap(b), target);
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
}
