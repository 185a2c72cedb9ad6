package io.cairn.transport.udp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.discovery.Discovery;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.net.ConcurrentStart;
import io.cairn.testkit.net.LoopbackDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Discovery over UDP in unicast mode: five members started at the same moment with no configured members form one
 * view, finding each other through DNS (a server this test runs on loopback; each member on its own loopback
 * address, as pods behind a headless service) or a shared directory.
 */
class UdpDiscoveryTest {
    private static final String NAME = "cairn-group.test.local";

    /** @return a port free on 127.0.0.11..(10+n) for UDP */
    static int freePort(final int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            final int port;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.11", 0))) {
                port = s.getLocalPort();
            }
            final List<DatagramSocket> probe = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    probe.add(new DatagramSocket(new InetSocketAddress("127.0.0." + (11 + i), port)));
                }
                return port;
            } catch (final java.net.BindException e) {
                // taken on one of them: try another
            } finally {
                probe.forEach(DatagramSocket::close);
            }
        }
        throw new IllegalStateException("no UDP port free on 127.0.0.11..");
    }

    private static Config unicast(final String more) {
        return ConfigFactory.parseString("cairn.transport.udp { mode = unicast\n discovery.interval = 200ms\n" + more
            + " }");
    }

    @Test
    void shouldFormOneViewWhenFiveMembersFoundByDnsStartAtOnce() throws Exception {
        final int port = freePort(5);
        try (LoopbackDnsServer dns = LoopbackDnsServer.start()) {
            final List<InetAddress> pods = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                pods.add(InetAddress.getByName("127.0.0." + (11 + i)));
            }
            dns.addresses(NAME, pods);
            try (ConcurrentStart c = new ConcurrentStart(5, "dns-udp", "udp-vsync-test", i -> unicast(
                "bind-address = \"127.0.0." + (11 + i) + "\"\n port = " + port + "\n discovery { type = dns\n dns.name = \""
                    + NAME + "\"\n dns.server = \"" + dns.address() + "\" }"))) {
                assertThat(c.awaitOneView(30)).as("one view of five: " + c.views()).isTrue();
                for (int i = 0; i < 5; i++) {
                    final UdpTransport t = (UdpTransport) c.nodes().get(i).transport("udp");
                    assertThat(t.peers()).as("m" + i + " reaches the other four, not itself").hasSize(4)
                        .doesNotContain(t.localAddress());
                    assertThat(t.stats().get("discovery_lookups")).isPositive();
                }
                assertThat(dns.queries()).isPositive();
            }
        }
    }

    @Test
    void shouldFormOneViewWhenFiveMembersSharingADirectoryStartAtOnce(@TempDir final Path dir) throws Exception {
        try (ConcurrentStart c = new ConcurrentStart(5, "dir-udp", "udp-vsync-test", i -> unicast(
            "discovery { type = directory\n directory.path = \"" + dir + "\" }"))) {
            assertThat(c.awaitOneView(30)).as("one view of five: " + c.views()).isTrue();
            assertThat(Files.list(dir).filter(f -> f.toString().endsWith(".member")).count()).isEqualTo(5);
        }
        assertThat(LiveGroup.await(() -> {
            try (var files = Files.list(dir)) {
                return files.noneMatch(f -> f.toString().endsWith(".member"));
            } catch (final java.io.IOException e) {
                return false;
            }
        }, 10)).as("each member removes its file when it closes").isTrue();
    }

    @Test
    void shouldFindTargetsAndPortsInSrvRecordsAndKeepTheLastAnswerWhenTheServerFails() throws Exception {
        final LoopbackDnsServer dns = LoopbackDnsServer.start();
        dns.addresses("a.test.local", List.of(InetAddress.getByName("127.0.0.21")));
        dns.addresses("b.test.local", List.of(InetAddress.getByName("127.0.0.22")));
        dns.services("_cairn._udp.test.local", List.of("a.test.local:7001", "b.test.local:7002"));
        final Config c = ConfigFactory.parseString("discovery { type = dns\n interval = 50ms\n dns { name = "
            + "\"_cairn._udp.test.local\"\n record = srv\n server = \"" + dns.address() + "\"\n timeout = 100ms } }");
        final AtomicReference<List<InetSocketAddress>> seen = new AtomicReference<>();
        try (Discovery d = Discovery.from(c, "test")) {
            final InetSocketAddress self = new InetSocketAddress("127.0.0.1", 7000);
            d.start(self, self, seen::set);
            assertThat(d.peers()).containsExactlyInAnyOrder(new InetSocketAddress("127.0.0.21", 7001),
                new InetSocketAddress("127.0.0.22", 7002));
            assertThat(seen.get()).isEqualTo(d.peers());
            dns.services("_cairn._udp.test.local", List.of("a.test.local:7001"));
            assertThat(LiveGroup.await(() -> d.peers().size() == 1, 10)).as("a record removed: " + d.peers())
                .isTrue();
            dns.close();
            final long failures = d.stats().get("discovery_failures");
            assertThat(LiveGroup.await(() -> d.stats().get("discovery_failures") > failures + 1, 10)).isTrue();
            assertThat(d.peers()).as("a failed lookup keeps the last answer")
                .containsExactly(new InetSocketAddress("127.0.0.21", 7001));
        }
    }

    @Test
    void shouldTreatAMissingNameAsNoPeersAndLeaveThisNodeOut() throws Exception {
        try (LoopbackDnsServer dns = LoopbackDnsServer.start()) {
            final Config c = ConfigFactory.parseString("discovery { type = dns\n interval = 50ms\n dns { name = "
                + "\"late.test.local\"\n port = 7100\n server = \"" + dns.address() + "\" } }");
            try (Discovery d = Discovery.from(c, "test")) {
                final InetSocketAddress self = new InetSocketAddress("127.0.0.31", 7100);
                d.start(self, self, x -> { });
                assertThat(d.peers()).isEmpty();
                assertThat(d.stats().get("discovery_failures")).as("no such name is an answer, not a failure")
                    .isZero();
                dns.addresses("late.test.local", List.of(InetAddress.getByName("127.0.0.31"),
                    InetAddress.getByName("127.0.0.32")));
                assertThat(LiveGroup.await(() -> d.peers().size() == 1, 10)).isTrue();
                assertThat(d.peers()).as("its own record is not a peer")
                    .containsExactly(new InetSocketAddress("127.0.0.32", 7100));
            }
        }
    }

    @Test
    void shouldRefuseDiscoveryInMulticastModeNamingTheFix() {
        final Config c = ConfigFactory.parseString("cairn.transport.udp.discovery { type = directory\n "
            + "directory.path = /tmp/x }").withFallback(ConfigFactory.load()).getConfig("cairn.transport.udp");
        assertThatThrownBy(() -> new UdpTransport(c, "n")).isInstanceOf(StackConfigException.class)
            .hasMessageContaining("cairn.transport.udp.discovery.type = directory")
            .hasMessageContaining("mode = unicast");
    }

    @Test
    void shouldNameFileKeyValueAndFixOfBadDiscoverySettings() {
        final Config c = ConfigFactory.parseString("initial-members = [\"127.0.0.1:7800-7802\"]\n"
            + "discovery.type = dnss", com.typesafe.config.ConfigParseOptions.defaults()
            .setOriginDescription("app.conf"));
        assertThatThrownBy(() -> Discovery.from(c, "cairn.transport.udp")).isInstanceOf(StackConfigException.class)
            .hasMessageContaining("app.conf: 2").hasMessageContaining("cairn.transport.udp.discovery.type = \"dnss\"")
            .hasMessageContaining("static, dns, directory, multicast");
        final Config range = ConfigFactory.parseString("initial-members = [\"127.0.0.1:7802-7800\"]");
        assertThatThrownBy(() -> Discovery.from(range, "cairn.transport.tcp"))
            .hasMessageContaining("cairn.transport.tcp.initial-members").hasMessageContaining("7802-7800");
        final Config ok = ConfigFactory.parseString("initial-members = [\"127.0.0.1:7800-7802\"]");
        try (Discovery d = Discovery.from(ok, "t")) {
            final InetSocketAddress self = new InetSocketAddress("127.0.0.1", 7801);
            d.start(self, self, x -> { });
            assertThat(d.peers()).as("a port range, without this node").containsExactly(
                new InetSocketAddress("127.0.0.1", 7800), new InetSocketAddress("127.0.0.1", 7802));
        }
    }
}
