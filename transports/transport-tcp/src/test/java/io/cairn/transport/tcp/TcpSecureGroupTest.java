package io.cairn.transport.tcp;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F17 over real TCP on 127.0.0.1: a live N = 3 group of {@code tcp-secure-test} (total-tcp with encrypt) and rogue
 * groups under the same group name that dial every member: one with another secret, one without encryption. Their JOINs, INSTALLs, GRANTs, heartbeats, state transfer and casts reach the members; none is
 * delivered or changes a view, all are counted as refused, and the members' own traffic goes on.
 */
class TcpSecureGroupTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "F1", "V1", "V4", "M1", "M2", "M3", "E1");
    private static final String GROUP = "tcp-secure";

    @TempDir
    Path dir;

    private static List<String> addresses(final List<Node> nodes) {
        return nodes.stream().map(x -> ((TcpTransport) x.transport("tcp")).localAddress())
            .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    }

    private Path secret(final String name, final long seed) throws Exception {
        final byte[] s = new byte[32];
        new java.util.Random(seed).nextBytes(s);
        return Files.write(dir.resolve(name), s);
    }

    private static long refused(final Group g) {
        return LiveGroup.refusedBySeal(g);
    }

    /**
     * Two rogue nodes in a group of their own under the same group name, dialling every member: they form their
     * view, cast and exchange state and credit among themselves, and multicast it all to the members too. (A
     * member's name would not do over TCP: a node's key is routed over the first connection that claims it, so the
     * rogue nodes could not reach each other.)
     */
    private static void rogueGroup(final String stack, final Path secret, final List<String> targets)
        throws Exception {
        final List<Node> nodes = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
        try {
            for (final String name : List.of("r0", "r1")) {
                final List<String> peers = new ArrayList<>(addresses(nodes));
                peers.addAll(targets);
                final Node n = Node.builder().name(name).config(ConfigFactory.parseMap(Map.of(
                    "cairn.transport.tcp.initial-members", peers, "cairn.layer.encrypt.secret-file",
                    secret.toString())).withFallback(ConfigFactory.load())).build();
                nodes.add(n);
                groups.add(n.join(GROUP, stack, ConfigFactory.parseString("cairn.stack.members = [r0, r1]"),
                    d -> delivered.incrementAndGet()));
            }
            assertThat(LiveGroup.await(() -> groups.stream().allMatch(g -> g.view() != null
                && g.view().size() == 2), 30)).as("the rogue group formed (" + stack + ")").isTrue();
            for (int i = 0; i < 100; i++) {
                for (final Group g : groups) {
                    g.cast(new byte[100]);
                }
            }
            assertThat(LiveGroup.await(() -> delivered.get() == 2L * 100 * 2, 30)).as("rogue deliveries").isTrue();
        } finally {
            groups.forEach(Group::close);
            nodes.forEach(Node::close);
        }
    }

    @Test
    void shouldRefuseRogueGroupsAndChangeNothing() throws Exception {
        final Path key = secret("group.key", 1);
        try (LiveGroup m = new LiveGroup(3, GROUP, "tcp-secure-test", Set.of(Property.FIFO), (i, earlier) ->
            ConfigFactory.parseMap(Map.of("cairn.transport.tcp.initial-members", addresses(earlier),
                "cairn.layer.encrypt.secret-file", key.toString())))) {
            assertThat(LiveGroup.await(m::formed, 30)).as("formed").isTrue();
            m.castFromAll(200, 100);
            assertThat(LiveGroup.await(() -> m.delivered() == 3L * 200 * 3, 60)).as("delivered " + m.delivered())
                .isTrue();
            final List<String> views = m.groups().stream().map(g -> g.view().id().toString()).toList();
            final long delivered = m.delivered();
            final long[] before = m.groups().stream().mapToLong(TcpSecureGroupTest::refused).toArray();
            final List<String> targets = addresses(m.nodes());

            for (final String stack : List.of("tcp-secure-test", "tcp-plain-test")) {
                rogueGroup(stack, secret("other-" + stack, 99), targets);
            }

            for (int i = 0; i < 3; i++) {
                assertThat(refused(m.groups().get(i)) - before[i]).as("rogue frames refused at m" + i).isPositive();
            }
            assertThat(m.delivered()).as("nothing of the rogues' delivered").isEqualTo(delivered);
            assertThat(m.groups().stream().map(g -> g.view().id().toString()).toList()).as("no view change")
                .isEqualTo(views);
            m.castFromAll(200, 100);
            assertThat(LiveGroup.await(() -> m.delivered() == delivered + 3L * 200 * 3, 60))
                .as("the members' own traffic goes on: " + m.delivered()).isTrue();
            m.recordHandlerErrors();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
            System.out.println("tcp F17: refused at the members " + java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> refused(m.groups().get(i)) - before[i]).toList() + "; views " + views);
        }
    }
}
