package io.cairn.bench.scale;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Many groups per process: two nodes in one JVM ({@code shared} threading) each join K groups of the {@code vsync}
 * stack; prints the join time, memory per idle group (heap after a GC plus direct buffers, per node and group),
 * the JVM's threads, heartbeat frames per second between the two idle nodes, and the throughput of 100 active
 * groups (1 KiB casts from one thread per node, round-robin over the groups).
 *
 * <pre>java -Xmx6g -cp benchmarks/target/benchmarks.jar io.cairn.bench.scale.ManyGroupsScale [K] [inproc|udp]
 *     [initial-ring-size|default] [share-liveness: true|false]</pre>
 */
public final class ManyGroupsScale {
    private ManyGroupsScale() {
    }

    /**
     * @param args groups (default 1000), transport (default inproc), initial ring size ("default": the reference's),
     *             whether the groups pool failure detection (default: the reference's, off)
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        final int k = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final String transport = args.length > 1 ? args[1] : "inproc";
        final String ring = (args.length > 2 && !args[2].equals("default") ? "\ncairn.runtime.initial-ring-size = "
            + args[2] : "") + (args.length > 3 ? "\ncairn.layer.heartbeat.share-liveness = " + args[3] : "");
        final long heap0 = heapAfterGc();
        final long direct0 = direct();
        final int threads0 = Thread.activeCount();
        final Config base = ConfigFactory.parseString("cairn.node.threading = shared\n"
            + "cairn.transport.inproc.network = many\ncairn.transport.udp.multicast-port = 45591" + ring)
            .withFallback(ConfigFactory.load());
        final AtomicLong delivered = new AtomicLong();
        final GroupListener count = new GroupListener() {
            @Override
            public void onDeliver(final Delivery d) {
                delivered.incrementAndGet();
            }
        };
        final Config join = ConfigFactory.parseString("cairn.stack { members = [a, b], transport = " + transport
            + " }");
        try (Node a = Node.builder().name("a").config(base).build();
             Node b = Node.builder().name("b").config(base).build()) {
            final List<Group> ga = new ArrayList<>();
            final List<Group> gb = new ArrayList<>();
            final long t0 = System.nanoTime();
            for (int i = 0; i < k; i++) {
                ga.add(a.join("g" + i, "vsync", join, count));
                gb.add(b.join("g" + i, "vsync", join, count));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!allInViewsOfTwo(ga) || !allInViewsOfTwo(gb)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every group formed a view of two within 120 s");
                }
                LockSupport.parkNanos(5_000_000);
            }
            final double joinSeconds = (System.nanoTime() - t0) / 1e9;
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
            final long heap = heapAfterGc() - heap0;
            final long direct = direct() - direct0;
            final int threads = Thread.activeCount() - threads0;
            final long beats0 = sum(ga, gb, "heartbeat.heartbeats_sent");
            final long frames0 = sum(ga, gb, "stack.frames_out");
            final long s0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            final double idleSeconds = (System.nanoTime() - s0) / 1e9;
            final double beats = (sum(ga, gb, "heartbeat.heartbeats_sent") - beats0) / idleSeconds;
            final double frames = (sum(ga, gb, "stack.frames_out") - frames0) / idleSeconds;
            final int active = Math.min(100, k);
            final long exits0 = sum(ga, gb, "membership.view_changes");
            final double rate = throughput(ga.subList(0, active), gb.subList(0, active), delivered);
            final long viewChanges = sum(ga, gb, "membership.view_changes") - exits0;
            System.out.printf(Locale.ROOT, "groups per node                  %d (%s, shared threading, vsync)%n", k,
                transport);
            System.out.printf(Locale.ROOT, "join (both nodes, all in views)  %.2f s%n", joinSeconds);
            System.out.printf(Locale.ROOT, "memory per idle group and node   %.0f KiB (heap %.0f KiB + direct %.0f KiB)%n",
                (heap + direct) / 1024.0 / (2.0 * k), heap / 1024.0 / (2.0 * k), direct / 1024.0 / (2.0 * k));
            System.out.printf(Locale.ROOT, "threads added by the two nodes   %d%n", threads);
            System.out.printf(Locale.ROOT, "idle heartbeats /s (both nodes)  %.0f (all frames %.0f /s)%n", beats,
                frames);
            System.out.printf(Locale.ROOT, "%d active groups, 1 KiB casts    %.0f deliveries/s (%d view changes meanwhile)%n",
                active, rate, viewChanges);
        }
    }

    private static double throughput(final List<Group> ga, final List<Group> gb, final AtomicLong delivered) {
        final byte[] kb = new byte[1024];
        final long seconds = 5;
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final List<Thread> casters = new ArrayList<>();
        for (final List<Group> groups : List.of(ga, gb)) {
            final Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    int accepted = 0;
                    for (final Group g : groups) {
                        accepted += g.tryCast(kb) ? 1 : 0;
                    }
                    if (accepted == 0) {
                        // A whole round refused: back off instead of spinning (two cores are shared with the
                        // stack threads, which are what this measures).
                        LockSupport.parkNanos(50_000);
                    }
                }
            });
            casters.add(t);
        }
        final long d0 = delivered.get();
        final long t0 = System.nanoTime();
        casters.forEach(Thread::start);
        for (final Thread t : casters) {
            try {
                t.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return (delivered.get() - d0) / ((System.nanoTime() - t0) / 1e9);
    }

    private static boolean allInViewsOfTwo(final List<Group> groups) {
        for (final Group g : groups) {
            if (g.view() == null || g.view().size() < 2) {
                return false;
            }
        }
        return true;
    }

    private static long sum(final List<Group> ga, final List<Group> gb, final String counter) {
        long s = 0;
        for (final List<Group> l : List.of(ga, gb)) {
            for (final Group g : l) {
                s += g.stats().getOrDefault(counter, 0L);
            }
        }
        return s;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(50_000_000);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long direct() {
        long used = 0;
        for (final BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (p.getName().equals("direct")) {
                used += p.getMemoryUsed();
            }
        }
        return used;
    }
}
