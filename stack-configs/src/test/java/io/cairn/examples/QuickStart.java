package io.cairn.examples;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.api.OrderedRegion;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The README's five-minute tour, compiled and run by {@code QuickStartTest}: a replicated log on the {@code total}
 * stack, applied on a thread pool in exact delivery order through the {@link OrderedRegion}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** A member that applies every delivered entry, in the group's total order, on a pool. */
    static final class Replica implements GroupListener, AutoCloseable {
        final List<String> log = new java.util.ArrayList<>();
        final ConcurrentLinkedQueue<String> views = new ConcurrentLinkedQueue<>();
        private final ExecutorService pool = Executors.newFixedThreadPool(2);
        private OrderedRegion region;

        @Override
        public void onStart(final Group group) {
            region = group.orderedRegion();                // before the first upcall: no race with deliveries
        }

        @Override
        public void onDeliver(final Delivery d) {
            final byte[] entry = d.payloadBytes();          // copy: the delivery is valid during the call only
            final long n = d.eventNo();
            pool.execute(() -> {
                final String text = new String(entry, StandardCharsets.UTF_8);   // parallel part
                region.run(n, () -> {                                            // in exact event order
                    synchronized (log) {
                        log.add(text);
                    }
                });
            });
        }

        @Override
        public void onView(final View view, final long eventNo) {
            views.add(view.toString());
            pool.execute(() -> region.skip(eventNo));      // every upcall number passes the region once
        }

        @Override
        public void onBlock(final long eventNo) {
            pool.execute(() -> region.skip(eventNo));
        }

        @Override
        public void onEvent(final Object event, final long eventNo) {
            pool.execute(() -> region.skip(eventNo));
        }

        @Override
        public void onSuspect(final io.cairn.api.MemberId member, final long eventNo) {
            pool.execute(() -> region.skip(eventNo));
        }

        @Override
        public void onExit(final String reason, final long eventNo) {
            pool.execute(() -> region.skip(eventNo));
        }

        @Override
        public void close() {
            pool.shutdown();
        }
    }

    /**
     * Starts two members in one JVM, casts from both, and returns each replica's log.
     *
     * @param entries casts per member
     * @return the two logs
     * @throws InterruptedException when interrupted while waiting
     */
    public static List<List<String>> run(final int entries) throws InterruptedException {
        // Only what differs from the defaults.
        final var config = ConfigFactory.parseString("cairn.transport.inproc.network = quickstart-"
            + System.nanoTime());
        final var members = ConfigFactory.parseString("cairn.stack.members = [a, b]");
        // Replicas first: resources close in reverse, so the nodes stop upcalling before the replicas' pools stop.
        try (Replica ra = new Replica();
             Replica rb = new Replica();
             Node a = Node.builder().name("a").config(config).build();
             Node b = Node.builder().name("b").config(config).build()) {
            final Group ga = a.join("log", "total", members, ra);
            final Group gb = b.join("log", "total", members, rb);
            gb.awaitView(Duration.ofSeconds(10));
            for (int i = 0; i < entries; i++) {
                ga.cast(("a" + i).getBytes(StandardCharsets.UTF_8));
                gb.cast(("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while ((size(ra) < 2 * entries || size(rb) < 2 * entries) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            synchronized (ra.log) {
                synchronized (rb.log) {
                    return List.of(List.copyOf(ra.log), List.copyOf(rb.log));
                }
            }
        }
    }

    private static int size(final Replica r) {
        synchronized (r.log) {
            return r.log.size();
        }
    }
}
