package io.cairn.configs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.testkit.InvokerNodes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure detection shared by a node's groups ({@code cairn.layer.heartbeat.share-liveness}), through the public API
 * on virtual time: three nodes share many groups; heartbeats between them do not grow with the number of groups (one stream per peer, carried by whichever
 * group is due first), nobody is suspected while all run, and a node that stops running is excluded from every
 * group within the detector's bound.
 */
class SharedFailureDetectionTest {
    private static final int GROUPS = 40;
    private final InvokerNodes nodes = new InvokerNodes();

    private Node node(final String name) {
        return node(name, true);
    }

    private Node node(final String name, final boolean share) {
        return nodes.start(name, ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "shared-fd-test-"
            + share, "cairn.layer.heartbeat.share-liveness", share)));
    }

    /** @return each node's groups g0..g(k-1) of vsync, joined by all three (a, b, c) */
    private static List<List<Group>> joinAll(final List<Node> three, final int k) {
        final Config seeds = ConfigFactory.parseString("cairn.stack.members = [a, b, c]");
        final List<List<Group>> at = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < k; i++) {
            for (int n = 0; n < 3; n++) {
                at.get(n).add(three.get(n).join("g" + i, "vsync", seeds, d -> { }));
            }
        }
        return at;
    }

    private static long sum(final List<Group> groups, final String counter) {
        return groups.stream().mapToLong(g -> g.stats().getOrDefault(counter, 0L)).sum();
    }

    @Test
    void shouldShareOneHeartbeatStreamPerPeerAndExcludeASilentNodeFromEveryGroup() {
        try {
            final Node a = node("a");
            final Node b = node("b");
            final List<List<Group>> at = joinAll(List.of(a, b, node("c")), GROUPS);
            final List<Group> atA = at.get(0);
            final List<Group> atB = at.get(1);
            nodes.run(2000);
            assertThat(atA).allSatisfy(g -> assertThat(g.view().size()).isEqualTo(3));

            final long before = sum(atA, "heartbeat.heartbeats_sent");
            nodes.run(5000);
            final double perSecond = (sum(atA, "heartbeat.heartbeats_sent") - before) / 5.0;
            // Heartbeats every 100 ms: one group's beat serves all 40, where each beating for itself would be 400/s.
            assertThat(perSecond).isBetween(5.0, 25.0);
            assertThat(sum(atA, "heartbeat.suspicions") + sum(atB, "heartbeat.suspicions")).isZero();
            assertThat(atA).allSatisfy(g -> assertThat(g.view().size()).isEqualTo(3));

            // c stops running (a crash as the others see it). Bound: timeout 1 s + (2 probes + 1) x 100 ms, plus the
            // view change.
            nodes.run(2500, List.of(a, b));
            for (final List<Group> survivor : List.of(atA, atB)) {
                assertThat(survivor).allSatisfy(g -> assertThat(g.view().members()).extracting(Object::toString)
                    .containsExactly("a#0", "b#0"));
            }
            assertThat(sum(atA, "heartbeat.suspicions")).isEqualTo(GROUPS);
        } finally {
            nodes.close();
        }
    }

    @Test
    void shouldExcludeAMemberFromTheOneGroupItClosedWhileItsOtherGroupsVouchForItsNode() {
        try {
            final List<List<Group>> at = joinAll(List.of(node("a"), node("b"), node("c")), 10);
            final List<Group> atA = at.get(0);
            final List<Group> atC = at.get(2);
            nodes.run(2000);
            assertThat(atA).allSatisfy(g -> assertThat(g.view().size()).isEqualTo(3));
            // c stops its stack for g3 without leaving; its node keeps running and beating in the other nine.
            atC.get(3).close();
            nodes.run(3000);
            assertThat(atA.get(3).view().members()).extracting(Object::toString).containsExactly("a#0", "b#0");
            for (int i = 0; i < 10; i++) {
                if (i != 3) {
                    assertThat(atA.get(i).view().size()).as("g" + i).isEqualTo(3);
                    assertThat(atA.get(i).stats().getOrDefault("heartbeat.suspicions", 0L)).as("g" + i).isZero();
                }
            }
        } finally {
            nodes.close();
        }
    }

    @Test
    void shouldBeatInEveryGroupByDefault() {
        try {
            final List<Group> atA = joinAll(List.of(node("a", false), node("b", false), node("c", false)), 10).get(0);
            nodes.run(2000);
            final long before = sum(atA, "heartbeat.heartbeats_sent");
            nodes.run(2000);
            // Unshared, every group beats every 100 ms: 10 groups, 100 a second.
            assertThat((sum(atA, "heartbeat.heartbeats_sent") - before) / 2.0).isBetween(90.0, 110.0);
        } finally {
            nodes.close();
        }
    }
}
