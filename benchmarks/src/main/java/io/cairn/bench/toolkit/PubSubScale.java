package io.cairn.bench.toolkit;

import io.cairn.api.Node;
import io.cairn.toolkit.Scheduler;
import io.cairn.toolkit.pubsub.PubSub;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish/subscribe at scale, in one JVM over the in-process transport: N nodes ({@code shared} threading: one
 * stack thread per node), T topics over K groups, each node subscribing to a random share of the topics and every
 * node publishing to random topics for a while. Prints the subscriptions, the time to join every group, the publish
 * and delivery rates, the fraction of deliveries filtered away and the memory used.
 *
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar io.cairn.bench.toolkit.PubSubScale [N T K share seconds]</pre>
 */
public final class PubSubScale {
    private PubSubScale() {
    }

    /**
     * @param args nodes, topics, groups, subscribed share, seconds
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int topics = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int k = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        final double share = args.length > 3 ? Double.parseDouble(args[3]) : 0.1;
        final int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        final long heap0 = heap();
        final long direct0 = direct();
        // Rings at their defaults: they start small and grow with the traffic each group carries.
        final Config cfg = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "pubsub-scale",
            "cairn.node.threading", "shared"));
        final StringBuilder names = new StringBuilder();
        for (int i = 0; i < n; i++) {
            names.append(i == 0 ? "" : ",").append("n").append(i);
        }
        final Config join = ConfigFactory.parseString("cairn.stack.members = [" + names + "]");
        final List<Node> nodes = new ArrayList<>();
        final List<PubSub> buses = new ArrayList<>();
        final AtomicLong received = new AtomicLong();
        final long t0 = System.nanoTime();
        int subscriptions = 0;
        for (int i = 0; i < n; i++) {
            final Node node = Node.builder().name("n" + i).config(cfg).build();
            nodes.add(node);
            final PubSub bus = new PubSub((g, l) -> node.join(g, "vsync", join, l), "scale", k, Scheduler.shared());
            buses.add(bus);
            final SplittableRandom r = new SplittableRandom(i);
            for (int t = 0; t < topics; t++) {
                if (r.nextDouble() < share) {
                    bus.subscribe("topic-" + t, (topic, from, payload) -> received.incrementAndGet());
                    subscriptions++;
                }
            }
        }
        while (!buses.stream().allMatch(b -> b.groups().size() == k && b.groups().values().stream()
            .allMatch(size -> size == n))) {
            Thread.sleep(10);
        }
        final double joinS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d nodes, %d topics over %d groups, %d subscriptions: every node in every group after "
            + "%.2f s%n", n, topics, k, subscriptions, joinS);
        final long[] published = new long[n];
        final List<Thread> publishers = new ArrayList<>();
        final long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int i = 0; i < n; i++) {
            final int me = i;
            final Thread p = new Thread(() -> {
                final SplittableRandom r = new SplittableRandom(100 + me);
                final byte[] payload = new byte[100];
                while (System.nanoTime() < end) {
                    if (buses.get(me).tryPublish("topic-" + r.nextInt(topics), payload, 256)) {
                        published[me]++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            publishers.add(p);
            p.start();
        }
        for (final Thread p : publishers) {
            p.join();
        }
        long pub = 0;
        for (int i = 0; i < n; i++) {
            pub += published[i];
        }
        // The rate that counts is end to end: until every node received every message (delivered or filtered).
        final long start = end - seconds * 1_000_000_000L;
        long delivered = 0;
        long filtered = 0;
        final long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            delivered = 0;
            filtered = 0;
            for (int i = 0; i < n; i++) {
                delivered += buses.get(i).stats().get("delivered");
                filtered += buses.get(i).stats().get("filtered");
            }
            if (delivered + filtered >= pub * n) {
                break;
            }
            Thread.sleep(5);
        }
        final double took = (System.nanoTime() - start) / 1e9;
        System.gc();
        System.out.printf("published %,d in %d s; every node received every one after %.1f s: %,.0f messages/s end "
            + "to end (%,.0f receptions/s); delivered to a subscriber %,d, filtered away %,d (%.1f %%)%n", pub,
            seconds, took, pub / took, pub * n / took, delivered, filtered,
            100.0 * filtered / Math.max(1, delivered + filtered));
        System.out.printf("memory: heap +%,d KiB, direct +%,d KiB (%,d KiB per group per node)%n",
            (heap() - heap0) / 1024, (direct() - direct0) / 1024, (direct() - direct0) / 1024 / ((long) k * n));
        buses.forEach(PubSub::close);
        nodes.forEach(Node::close);
        System.exit(0);
    }

    private static long heap() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static long direct() {
        for (final BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        return -1;
    }
}
