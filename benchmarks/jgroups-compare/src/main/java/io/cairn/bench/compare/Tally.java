package io.cairn.bench.compare;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts what every member delivers, for one run (one set of members). Each measurement opens a {@link Window}:
 * deliveries tagged with it are counted per (receiver, sender) pair, so the driver can check that every member got
 * every message cast in the measured window, and their latencies are recorded. Deliveries of older measurements
 * (still draining) only count towards the per-member totals.
 *
 * <p>Safe for concurrent callers: JGroups delivers messages of different senders on different threads.
 */
final class Tally implements GroupSystem.Sink {
    /** Counters sit this many longs apart so members' delivery threads do not share cache lines. */
    private static final int PAD = 16;
    private static final long MAX_LATENCY = TimeUnit.SECONDS.toNanos(60);
    final int n;
    private final AtomicLongArray delivered;
    private volatile Window window;

    Tally(final int n) {
        this.n = n;
        this.delivered = new AtomicLongArray(n * PAD);
        this.window = new Window(-1, n, 0, false, false);
    }

    /** @return deliveries per member since the run started, every tag included */
    long[] delivered() {
        final long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = delivered.get(i * PAD);
        }
        return d;
    }

    Window open(final int measurement, final int size, final boolean latency, final boolean oneAtATime) {
        final Window w = new Window(measurement, n, size, latency, oneAtATime);
        window = w;
        return w;
    }

    @Override
    public void deliver(final int member, final long intended, final int sender, final int tag, final int length) {
        final long now = System.nanoTime();
        delivered.incrementAndGet(member * PAD);
        final Window w = window;
        if (tag >>> 1 != w.id) {
            return;
        }
        if (length != w.size || sender < 0 || sender >= n) {
            w.malformed.incrementAndGet();
            return;
        }
        final boolean measured = (tag & 1) != 0;
        if (measured) {
            w.pairs.incrementAndGet((member * n + sender) * PAD);
            if (w.latency != null) {
                w.latency[member].recordValue(Math.min(MAX_LATENCY, Math.max(0, now - intended)));
            }
        }
        if (w.pending != null && w.pending.decrementAndGet() == 0) {
            if (measured) {
                w.toAll.recordValue(Math.min(MAX_LATENCY, Math.max(0, now - intended)));
            }
            final Thread waiter = w.waiter;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /** The deliveries of one measurement. */
    static final class Window {
        final int id;
        final int size;
        private final int n;
        private final AtomicLongArray pairs;
        final AtomicLong malformed = new AtomicLong();
        /** Send-to-delivery latency per member, of measured messages; null when not recorded. */
        final Histogram[] latency;
        /** One-at-a-time only: members that have yet to deliver the current message. */
        final AtomicInteger pending;
        /** One-at-a-time only: cast until the last member delivered. */
        final Histogram toAll;
        volatile Thread waiter;

        Window(final int id, final int n, final int size, final boolean latency, final boolean oneAtATime) {
            this.id = id;
            this.n = n;
            this.size = size;
            this.pairs = new AtomicLongArray(Math.max(1, n * n * PAD));
            this.latency = latency ? new Histogram[n] : null;
            if (latency) {
                for (int i = 0; i < n; i++) {
                    this.latency[i] = new ConcurrentHistogram(MAX_LATENCY, 3);
                }
            }
            this.pending = oneAtATime ? new AtomicInteger() : null;
            this.toAll = oneAtATime ? new ConcurrentHistogram(MAX_LATENCY, 3) : null;
        }

        /** @return measured messages from {@code sender} that {@code member} delivered */
        long delivered(final int member, final int sender) {
            return pairs.get((member * n + sender) * PAD);
        }

        /** @return every member's latencies merged */
        Histogram mergedLatency() {
            final Histogram all = new Histogram(MAX_LATENCY, 3);
            for (final Histogram h : latency) {
                all.add(h);
            }
            return all;
        }

        /**
         * Waits until every member delivered every measured message, or the deadline passes.
         *
         * @param sent      measured messages cast, per sender
         * @param timeoutNs how long to wait
         * @return null when complete, else what is missing (or extra)
         */
        String awaitComplete(final long[] sent, final long timeoutNs) throws InterruptedException {
            final long deadline = System.nanoTime() + timeoutNs;
            while (true) {
                final String gap = gap(sent);
                if (gap == null || gap.startsWith("more") || System.nanoTime() - deadline > 0) {
                    return gap == null && malformed.get() > 0 ? malformed.get() + " malformed deliveries" : gap;
                }
                Thread.sleep(5);
            }
        }

        private String gap(final long[] sent) {
            for (int r = 0; r < n; r++) {
                for (int s = 0; s < n; s++) {
                    final long got = delivered(r, s);
                    if (got != sent[s]) {
                        return (got > sent[s] ? "more" : "fewer") + " deliveries than casts: m" + r + " delivered "
                            + got + " of the " + sent[s] + " measured casts of m" + s;
                    }
                }
            }
            return null;
        }
    }
}
