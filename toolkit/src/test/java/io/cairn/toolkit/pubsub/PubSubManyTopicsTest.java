package io.cairn.toolkit.pubsub;

import io.cairn.api.Node;
import io.cairn.toolkit.Scheduler;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publish/subscribe at issue 18's scale: 10,000 topics over 16 groups, three nodes in one JVM (shared threading,
 * in-process transport). Each node subscribes to a seeded random tenth of the topics and every node publishes on
 * every topic; each subscriber must get exactly the messages of its topics, each publisher's in order, and nothing
 * else, and the shared groups must filter exactly the rest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PubSubManyTopicsTest {
    private static final int TOPICS = 10_000;
    private static final int GROUPS = 16;
    private static final int NODES = 3;
    private static final int PER_TOPIC = 2;
    private final List<Node> nodes = new ArrayList<>();
    private final List<PubSub> buses = new ArrayList<>();

    @AfterEach
    void stop() {
        buses.forEach(PubSub::close);
        nodes.forEach(Node::close);
    }

    @Test
    void everySubscriberGetsExactlyItsTopicsInPublisherOrder() throws Exception {
        final Config cfg = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "pubsub-many-"
            + System.nanoTime(), "cairn.node.threading", "shared"));
        final Config join = ConfigFactory.parseString("cairn.stack.members = [p0, p1, p2]");
        final SplittableRandom random = new SplittableRandom(18);
        // next[i][topic][publisher]: the sequence number node i expects next from that publisher on that topic.
        final int[][][] next = new int[NODES][TOPICS][NODES];
        final boolean[][] follows = new boolean[NODES][TOPICS];
        final AtomicLong wrong = new AtomicLong();
        final List<String> firstWrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < NODES; i++) {
            final Node n = Node.builder().name("p" + i).config(cfg).build();
            nodes.add(n);
            final PubSub bus = new PubSub((group, listener) -> n.join(group, "vsync", join, listener), "many",
                GROUPS, Scheduler.shared());
            buses.add(bus);
            final int me = i;
            for (int t = 0; t < TOPICS; t++) {
                if (random.nextInt(10) == 0) {
                    follows[me][t] = true;
                    final int topic = t;
                    bus.subscribe("t" + t, (name, from, payload) -> {
                        final ByteBuffer b = ByteBuffer.wrap(payload);
                        final int publisher = b.getInt();
                        final int seq = b.getInt();
                        final int onTopic = b.getInt();
                        if (onTopic != topic || !name.equals("t" + topic) || !from.name().equals("p" + publisher)
                            || seq != next[me][topic][publisher]++) {
                            wrong.incrementAndGet();
                            firstWrong.add(me + " got " + name + " " + from + " " + publisher + "/" + seq);
                        }
                    });
                }
            }
        }
        // Virtual synchrony delivers a cast to the members of its view: publish once every node is in every group.
        final long formed = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!buses.stream().allMatch(b -> b.groups().size() == GROUPS
            && b.groups().values().stream().allMatch(size -> size == NODES))) {
            assertThat(System.nanoTime()).as("every node in every group's view").isLessThan(formed);
            Thread.sleep(5);
        }
        final long[] expected = new long[NODES];
        for (int i = 0; i < NODES; i++) {
            for (int t = 0; t < TOPICS; t++) {
                expected[i] += follows[i][t] ? (long) NODES * PER_TOPIC : 0;
            }
        }
        for (int s = 0; s < PER_TOPIC; s++) {
            for (int t = 0; t < TOPICS; t++) {
                for (int p = 0; p < NODES; p++) {
                    buses.get(p).publish("t" + t, ByteBuffer.allocate(12).putInt(p).putInt(s).putInt(t).array());
                }
            }
        }
        final long all = (long) TOPICS * PER_TOPIC * NODES;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; i < NODES; i++) {
            final PubSub bus = buses.get(i);
            while (bus.stats().get("delivered") + bus.stats().get("filtered") < all) {
                assertThat(System.nanoTime()).as("node p" + i + " received " + bus.stats()).isLessThan(deadline);
                Thread.sleep(5);
            }
        }
        assertThat(firstWrong).isEmpty();
        assertThat(wrong.get()).isZero();
        for (int i = 0; i < NODES; i++) {
            final Map<String, Long> stats = new HashMap<>(buses.get(i).stats());
            assertThat(stats.get("delivered")).as("p" + i).isEqualTo(expected[i]);
            assertThat(stats.get("filtered")).as("p" + i).isEqualTo(all - expected[i]);
            assertThat(buses.get(i).groups()).hasSize(GROUPS);
            for (int t = 0; t < TOPICS; t++) {
                for (int p = 0; p < NODES; p++) {
                    assertThat(next[i][t][p]).isEqualTo(follows[i][t] ? PER_TOPIC : 0);
                }
            }
        }
    }
}
