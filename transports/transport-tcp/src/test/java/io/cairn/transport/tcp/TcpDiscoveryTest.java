package io.cairn.transport.tcp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.testkit.net.ConcurrentStart;
import io.cairn.testkit.net.LoopbackDnsServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery over TCP: five members started at the same moment with no configured members form one view, finding
 * each other through DNS SRV records (a server this test runs on loopback) or multicast announcements on lo.
 */
class TcpDiscoveryTest {
    private static Config tcp(final String more) {
        return ConfigFactory.parseString("cairn.transport.tcp { discovery.interval = 200ms\n" + more + " }");
    }

    /** @return n listening ports free on 127.0.0.1 now */
    private static List<Integer> freePorts(final int n) throws Exception {
        final List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (final ServerSocket s : held) {
                s.close();
            }
        }
    }

    @Test
    void shouldFormOneViewWhenFiveMembersFoundBySrvRecordsStartAtOnce() throws Exception {
        final List<Integer> ports = freePorts(5);
        try (LoopbackDnsServer dns = LoopbackDnsServer.start()) {
            dns.addresses("host.test.local", List.of(InetAddress.getByName("127.0.0.1")));
            dns.services("_cairn._tcp.group.test.local", ports.stream().map(p -> "host.test.local:" + p).toList());
            try (ConcurrentStart c = new ConcurrentStart(5, "dns-tcp", "tcp-vsync-test", i -> tcp("port = "
                + ports.get(i) + "\n discovery { type = dns\n dns { name = \"_cairn._tcp.group.test.local\"\n record = "
                + "SRV\n server = \"" + dns.address() + "\" } }"))) {
                assertThat(c.awaitOneView(30)).as("one view of five: " + c.views()).isTrue();
                for (int i = 0; i < 5; i++) {
                    final TcpTransport t = (TcpTransport) c.nodes().get(i).transport("tcp");
                    assertThat(t.discoveredPeers()).as("m" + i + " found the other four, not itself").hasSize(4)
                        .doesNotContain(new InetSocketAddress("127.0.0.1", ports.get(i)));
                }
            }
        }
    }

    @Test
    void shouldFormOneViewWhenFiveMembersFoundByMulticastAnnouncementsStartAtOnce() throws Exception {
        try (ConcurrentStart c = new ConcurrentStart(5, "mcast-tcp", "tcp-vsync-test", i -> tcp(
            "discovery { type = multicast\n multicast.port = 45581 }"))) {
            assertThat(c.awaitOneView(30)).as("one view of five: " + c.views()).isTrue();
            for (int i = 0; i < 5; i++) {
                final TcpTransport t = (TcpTransport) c.nodes().get(i).transport("tcp");
                assertThat(t.discoveredPeers()).as("m" + i + " heard the other four").hasSize(4);
            }
        }
    }
}
