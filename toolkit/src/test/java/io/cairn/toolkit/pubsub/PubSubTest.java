package io.cairn.toolkit.pubsub;

import io.cairn.api.Node;
import io.cairn.toolkit.Scheduler;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publish/subscribe on three nodes in one JVM (real threads, in-process transport): 60 topics over 4 shared groups
 * and one dedicated topic. Each subscriber gets exactly the messages of its topics, in each publisher's order; what
 * the shared groups carry for other topics is filtered and counted; a dedicated topic's group carries only it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PubSubTest {
    private final List<Node> nodes = new ArrayList<>();
    private final List<PubSub> buses = new ArrayList<>();

    @AfterEach
    void stop() {
        buses.forEach(PubSub::close);
        nodes.forEach(Node::close);
    }

    private static void await(final String what, final BooleanSupplier c) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void subscribersGetTheirTopicsInOrderAndSharedGroupsFilterTheRest() throws Exception {
        final Config net = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "pubsub-" + System.nanoTime()));
        final Config join = ConfigFactory.parseString("cairn.stack.members = [p0, p1, p2]");
        for (int i = 0; i < 3; i++) {
            final Node n = Node.builder().name("p" + i).config(net).build();
            nodes.add(n);
            buses.add(new PubSub((group, listener) -> n.join(group, "vsync", join, listener), "bus", 4,
                Scheduler.shared()).dedicate("hot"));
        }
        // p_i subscribes to the topics t_k with k % 3 == i, and everyone to "hot".
        final List<Map<String, List<String>>> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final Map<String, List<String>> mine = new ConcurrentHashMap<>();
            got.add(mine);
            for (int k = i; k < 60; k += 3) {
                buses.get(i).subscribe("t" + k, (topic, from, payload) -> mine.computeIfAbsent(topic,
                    x -> new CopyOnWriteArrayList<>()).add(from.name() + ":" + new String(payload)));
            }
            buses.get(i).subscribe("hot", (topic, from, payload) -> mine.computeIfAbsent(topic,
                x -> new CopyOnWriteArrayList<>()).add(from.name() + ":" + new String(payload)));
        }
        await("every member in every topic group", () -> buses.stream().allMatch(b -> b.groups().size() == 5
            && b.groups().values().stream().allMatch(size -> size == 3)));
        assertThat(buses.get(0).groupOf("hot")).isEqualTo("bus-topic-hot");
        assertThat(buses.get(0).groupOf("t7")).isEqualTo(buses.get(2).groupOf("t7")).startsWith("bus-");

        // p0 publishes 5 messages on every topic, in order.
        for (int m = 0; m < 5; m++) {
            for (int k = 0; k < 60; k++) {
                buses.get(0).publish("t" + k, ("" + m).getBytes());
            }
            buses.get(0).publish("hot", ("" + m).getBytes());
        }
        await("every subscription complete", () -> {
            for (int i = 0; i < 3; i++) {
                for (int k = i; k < 60; k += 3) {
                    final List<String> l = got.get(i).get("t" + k);
                    if (l == null || l.size() < 5) {
                        return false;
                    }
                }
                if (got.get(i).getOrDefault("hot", List.of()).size() < 5) {
                    return false;
                }
            }
            return true;
        });
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i)).hasSize(21);
            for (final List<String> l : got.get(i).values()) {
                assertThat(l).containsExactly("p0:0", "p0:1", "p0:2", "p0:3", "p0:4");
            }
            final Map<String, Long> stats = buses.get(i).stats();
            assertThat(stats.get("delivered")).isEqualTo(21 * 5);
        }
        // Each member is in all 4 shared groups: the 40 topics it does not follow arrive there and are dropped.
        await("p1's filtered count", () -> buses.get(1).stats().get("filtered") == 40 * 5);
    }
}
