package io.cairn.transport.rdma;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Node;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.transport.rdma.verbs.emu.EmulatedVerbs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole groups over the RDMA transport on soft verbs, with a total-order stack that has no nak-reliability; every
 * run is checked by the trace checker (total order, virtual synchrony, integrity, membership).
 */
class RdmaGroupTest {
    private static final int N_CASTS = Integer.getInteger("rdma.casts", 100_000);
    private static final Set<Property> PROVIDES = Set.of(Property.FIFO, Property.TOTAL, Property.VIRTUAL_SYNCHRONY);

    /** With {@code -Dcairn.transport.rdma.provider=disni}, members listen on this host from port 7900. */
    private static final String DISNI_HOST = System.getProperty("cairn.test.rdma.host", "");

    private static boolean emulated() {
        return DISNI_HOST.isEmpty();
    }

    private static LiveGroup group(final String name, final int n, final String extra) {
        final List<String> addresses = IntStream.range(0, n).mapToObj(i -> emulated() ? name + "-m" + i
            : DISNI_HOST + ":" + (7900 + i)).toList();
        return new LiveGroup(n, name, "rdma-total-test", PROVIDES, (i, earlier) -> ConfigFactory.parseMap(Map.of(
            "cairn.transport.rdma.address", addresses.get(i),
            "cairn.transport.rdma.initial-members", addresses)).withFallback(ConfigFactory.parseString(extra)));
    }

    private static RdmaTransport transport(final LiveGroup g, final int i) {
        return (RdmaTransport) g.nodes().get(i).transport("rdma");
    }

    private static String diagnostics(final LiveGroup g) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.nodes().size(); i++) {
            b.append("m").append(i).append(" in ").append(g.groups().get(i).view()).append(' ')
                .append(transport(g, i).stats()).append('\n');
            g.groups().get(i).stats().forEach((k, v) -> {
                if (v != 0) {
                    b.append("  ").append(k).append('=').append(v).append('\n');
                }
            });
        }
        // Who delivered whose casts, and how the views got there (installs, suspicions and exits).
        final java.util.Map<String, java.util.Map<String, Long>> delivered = new java.util.TreeMap<>();
        final java.util.Map<String, Long> sent = new java.util.TreeMap<>();
        for (final io.cairn.testkit.trace.TraceEvent e : g.trace().events()) {
            if (e.type() == io.cairn.testkit.trace.TraceEvent.Type.DELIVER) {
                delivered.computeIfAbsent(e.p(), k -> new java.util.TreeMap<>()).merge(e.src(), 1L, Long::sum);
            } else if (e.type() == io.cairn.testkit.trace.TraceEvent.Type.SEND) {
                sent.merge(e.p(), 1L, Long::sum);
            }
        }
        b.append("sent ").append(sent).append("\ndelivered ").append(delivered).append('\n');
        for (final io.cairn.testkit.trace.TraceEvent e : g.trace().events()) {
            switch (e.type()) {
                case INSTALL, SUSPECT, EXIT -> b.append(e).append('\n');
                default -> { }
            }
        }
        return b.toString();
    }

    private static void check(final LiveGroup g) {
        g.recordHandlerErrors();
        final CheckReport report = new TraceChecker(TraceChecker.propertiesFor(PROVIDES), 0, false)
            .check(g.trace().events());
        assertThat(report.violations()).as(report.summary()).isEmpty();
    }

    @Test
    void shouldDeliver100kCastsInTotalOrderWithoutNakReliability() throws Exception {
        try (LiveGroup g = group("rdma-100k", 3, "")) {
            assertThat(g.groups().get(0).stats().keySet()).noneMatch(k -> k.startsWith("nak-reliability."))
                .anyMatch(k -> k.startsWith("relay."));
            g.castFromAll(N_CASTS / 3 + 1, 64);
            final long expected = 3L * (N_CASTS / 3 + 1) * 3;
            assertThat(LiveGroup.await(() -> g.delivered() == expected, 150)).as(() -> "delivered " + g.delivered()
                + " of " + expected + "\n" + diagnostics(g)).isTrue();
            check(g);
            assertThat(transport(g, 0).stats().get("ring_wraps")).isPositive();
            assertThat(transport(g, 0).stats().get("malformed")).isZero();
        }
    }

    @Test
    void shouldRecoverFromAQueuePairErrorMidStream() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(emulated(), "needs the emulation's fault hook");
        try (LiveGroup g = group("rdma-qperr", 3, "")) {
            g.castFromAll(5000, 64);
            ((EmulatedVerbs) transport(g, 2).verbs()).breakQueuePairsTo("rdma-qperr-m0");
            final long expected = 3L * 5000 * 3;
            assertThat(LiveGroup.await(() -> g.delivered() >= expected, 60)).as(() -> "delivered " + g.delivered()
                + " of " + expected + "\n" + diagnostics(g)).isTrue();
            assertThat(transport(g, 2).stats().get("links_failed")).isPositive();
            g.castFromAll(1000, 64);
            assertThat(LiveGroup.await(() -> g.delivered() >= expected + 3L * 1000 * 3, 60)).isTrue();
            check(g);
        }
    }

    @Test
    void shouldInstallANewViewWhenAMemberCrashesAndKeepTotalOrderWithDelayedCompletions() throws Exception {
        try (LiveGroup g = group("rdma-crash", 3, emulated()
            ? "cairn.transport.rdma.emulation.completion-delay = 200us" : "")) {
            g.castFromAll(2000, 64);
            g.nodes().get(2).close();
            assertThat(LiveGroup.await(() -> g.groups().get(0).view() != null && g.groups().get(0).view().size() == 2
                && g.groups().get(1).view() != null && g.groups().get(1).view().size() == 2, 30))
                .as("survivors installed a view without m2").isTrue();
            final long base = g.delivered();
            g.castFrom(0, 1000, 64);
            g.castFrom(1, 1000, 64);
            assertThat(LiveGroup.await(() -> g.delivered() >= base + 2000, 30)).isTrue();
            check(g);
        }
    }

    @Test
    void shouldRejectAStackThatLacksWhatItNeeds() {
        try (Node node = Node.builder().name("rdma-reject").config(ConfigFactory.parseString(
            "cairn.transport.rdma.address = rdma-reject").withFallback(ConfigFactory.load())).build()) {
            final com.typesafe.config.Config noRecovery = ConfigFactory.parseString(
                "cairn.stack { transport = rdma, layers = [stability, heartbeat, virtual-synchrony, membership] }");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> node.join("g", "rdma-total-test", noRecovery, null))
                .hasMessageContaining("'virtual-synchrony' requires property 'recovery'")
                .hasMessageContaining("relay");
        }
    }
}
