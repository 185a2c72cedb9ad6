package io.cairn.bench.compare;

import io.cairn.bench.compare.Results.CurvePoint;
import io.cairn.bench.compare.Results.OneAtATime;
import io.cairn.bench.compare.Results.Throughput;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The three measurements, run one after another on one set of members. Each has a warm-up, then a measured
 * window; a result counts only once every member delivered every message cast in the window (the driver waits for
 * the drain, bounded), and nothing else was delivered under the window's tag.
 */
final class Measure {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** How long the stragglers of a window may take to arrive everywhere once casting stopped. */
    private static final long DRAIN = 20 * SECOND;
    /** A sender thread still casting this long after it was told to stop counts as stuck. */
    private static final long JOIN = 35 * SECOND;
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final GroupSystem.Cluster cluster;
    private final Tally tally;
    private final int n;
    private final int size;
    private final long warmup;
    private final long duration;
    private int measurements;
    /** Drains that took a while, for the log: a backlog the system had queued when casting stopped. */
    final StringBuilder drains = new StringBuilder();

    Measure(final GroupSystem.Cluster cluster, final Tally tally, final int size, final long warmupNs,
            final long durationNs) {
        this.cluster = cluster;
        this.tally = tally;
        this.n = tally.n;
        this.size = size;
        this.warmup = warmupNs;
        this.duration = durationNs;
    }

    /** Closed loop: every member casts back to back; the system's back-pressure sets the pace. */
    Throughput closedLoop() throws InterruptedException {
        final int id = measurements++;
        final Tally.Window w = tally.open(id, size, false, false);
        final AtomicInteger tag = new AtomicInteger(Payload.tag(id, false));
        final AtomicBoolean stop = new AtomicBoolean();
        final long[] sent = new long[n];
        final Senders senders = new Senders(s -> {
            final byte[] buf = new byte[size];
            long k = 0;
            try {
                while (!stop.get()) {
                    final int t = tag.get();
                    Payload.write(buf, System.nanoTime(), s, t);
                    cluster.cast(s, buf);
                    k += t & 1;
                }
            } finally {
                sent[s] = k;
            }
        });
        sleepNs(warmup);
        final long[] d1 = tally.delivered();
        final long cpu1 = OS.getProcessCpuTime();
        final long t1 = System.nanoTime();
        tag.set(Payload.tag(id, true));
        sleepNs(duration);
        final long[] d2 = tally.delivered();
        final long cpu2 = OS.getProcessCpuTime();
        final long t2 = System.nanoTime();
        stop.set(true);
        final String stuck = senders.join(JOIN);
        if (stuck != null) {
            return Throughput.failed(stuck);
        }
        final String gap = drain(w, sent, id);
        if (gap != null) {
            return Throughput.failed("incomplete: " + gap);
        }
        final long all = sum(d2) - sum(d1);
        if (all <= 0) {
            return Throughput.failed("nothing delivered in the window");
        }
        final double perMember = all / (double) n / ((t2 - t1) / 1e9);
        return new Throughput(null, perMember, perMember * size / 1e6, (cpu2 - cpu1) / 1e3 / all,
            (cpu2 - cpu1) / (double) (t2 - t1));
    }

    /**
     * Open loop: each member casts on a fixed schedule, {@code fraction} of the closed-loop rate split among the
     * members. Every message carries its slot's time, so a sender held up by back-pressure (or descheduled) does
     * not hide the wait: the messages it owes go out back to back and their latency counts from their slots.
     *
     * @param fraction  of the closed-loop rate
     * @param perMember the closed-loop deliveries per second per member
     */
    CurvePoint openLoop(final double fraction, final double perMember) throws InterruptedException {
        final int id = measurements++;
        final Tally.Window w = tally.open(id, size, true, false);
        final double perSender = fraction * perMember / n;
        final long interval = Math.max(1, Math.round(1e9 / perSender));
        final long start = System.nanoTime() + 10_000_000;
        final long t1 = start + warmup;
        final long end = t1 + duration;
        // A sender this far behind its schedule gives up: the slots it never cast would have no latency at all.
        final long giveUp = end + Math.max(SECOND, duration);
        final long[] sent = new long[n];
        final long[] owed = new long[n];
        final Senders senders = new Senders(s -> {
            final byte[] buf = new byte[size];
            long next = start + s * interval / n;
            long k = 0;
            try {
                while (next - end < 0) {
                    final long now = System.nanoTime();
                    if (next - now > 0) {
                        LockSupport.parkNanos(next - now);
                        continue;
                    }
                    if (now - giveUp > 0) {
                        break;
                    }
                    final boolean measured = next - t1 >= 0;
                    Payload.write(buf, next, s, Payload.tag(id, measured));
                    cluster.cast(s, buf);
                    k += measured ? 1 : 0;
                    next += interval;
                }
            } finally {
                sent[s] = k;
                for (; next - end < 0; next += interval) {
                    owed[s] += next - t1 >= 0 ? 1 : 0;
                }
            }
        });
        sleepNs(t1 - System.nanoTime());
        final long[] d1 = tally.delivered();
        final long w1 = System.nanoTime();
        sleepNs(end - System.nanoTime());
        final long[] d2 = tally.delivered();
        final long w2 = System.nanoTime();
        final String stuck = senders.join(giveUp - System.nanoTime() + JOIN);
        if (stuck != null) {
            return CurvePoint.failed(fraction, stuck);
        }
        final double achieved = (sum(d2) - sum(d1)) / (double) n / ((w2 - w1) / 1e9);
        if (sum(owed) > 0) {
            return CurvePoint.failed(fraction, String.format(java.util.Locale.ROOT, "could not keep to the schedule"
                + " (%,d of %,d measured slots never cast; %,.0f deliveries/s per member achieved)", sum(owed),
                sum(owed) + sum(sent), achieved));
        }
        final String gap = drain(w, sent, id);
        if (gap != null) {
            return CurvePoint.failed(fraction, "incomplete: " + gap);
        }
        final Histogram h = w.mergedLatency();
        return new CurvePoint(fraction, null, perSender * n, achieved, us(h, 50), us(h, 99), us(h, 99.9));
    }

    /** One message at a time from member 0, each delivered by every member before the next. */
    OneAtATime oneAtATime() throws Exception {
        final int id = measurements++;
        final Tally.Window w = tally.open(id, size, true, true);
        w.waiter = Thread.currentThread();
        final byte[] buf = new byte[size];
        final long t1 = System.nanoTime() + warmup;
        final long end = t1 + duration;
        long rounds = 0;
        long now;
        while ((now = System.nanoTime()) - end < 0) {
            final boolean measured = now - t1 >= 0;
            w.pending.set(n);
            Payload.write(buf, now, 0, Payload.tag(id, measured));
            cluster.cast(0, buf);
            rounds += measured ? 1 : 0;
            // The last member to deliver unparks this thread; the timed park only bounds a lost wake-up.
            final long deadline = System.nanoTime() + 10 * SECOND;
            while (w.pending.get() > 0) {
                if (System.nanoTime() - deadline > 0) {
                    return OneAtATime.failed("a message was not delivered by every member within 10 s");
                }
                LockSupport.parkNanos(SECOND / 1000);
            }
        }
        final long[] sent = new long[n];
        sent[0] = rounds;
        final String gap = drain(w, sent, id);
        if (gap != null) {
            return OneAtATime.failed("incomplete: " + gap);
        }
        if (rounds == 0) {
            return OneAtATime.failed("no message in the window");
        }
        final Histogram h = w.mergedLatency();
        return new OneAtATime(null, rounds, us(h, 50), us(h, 99), us(w.toAll, 50), us(w.toAll, 99));
    }

    private String drain(final Tally.Window w, final long[] sent, final int id) throws InterruptedException {
        final long t = System.nanoTime();
        final String gap = w.awaitComplete(sent, DRAIN);
        final long took = System.nanoTime() - t;
        if (took > SECOND / 5) {
            drains.append(String.format(java.util.Locale.ROOT, ", drain #%d %.1f s", id, took / 1e9));
        }
        return gap;
    }

    private static double us(final Histogram h, final double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static long sum(final long[] a) {
        long s = 0;
        for (final long x : a) {
            s += x;
        }
        return s;
    }

    private static void sleepNs(final long ns) throws InterruptedException {
        if (ns > 0) {
            Thread.sleep(ns / 1_000_000, (int) (ns % 1_000_000));
        }
    }

    /** What one sender thread does. */
    private interface Body {
        void run(int sender) throws Exception;
    }

    /** One casting thread per member; the first failure is kept. */
    private final class Senders {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        Senders(final Body body) {
            for (int s = 0; s < n; s++) {
                final int sender = s;
                final Thread t = new Thread(() -> {
                    try {
                        body.run(sender);
                    } catch (final Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }, "compare-sender-m" + s);
                threads.add(t);
                t.start();
            }
        }

        /** @return null when every sender finished without an error, else why not */
        String join(final long timeoutNs) throws InterruptedException {
            final long deadline = System.nanoTime() + timeoutNs;
            for (final Thread t : threads) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    threads.forEach(Thread::interrupt);
                    return t.getName() + " still casting " + timeoutNs / SECOND + " s after it was told to stop";
                }
            }
            final Throwable e = error.get();
            return e == null ? null : "a cast failed: " + e;
        }
    }
}
