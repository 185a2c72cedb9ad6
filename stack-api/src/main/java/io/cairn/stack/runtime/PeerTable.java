package io.cairn.stack.runtime;

import io.cairn.stack.spi.PeerLiveness;

import java.util.HashMap;
import java.util.Map;

/**
 * A node's {@link PeerLiveness}: one record per (transport, local member key, peer member key), counted by the
 * stacks that hold it and dropped when none does (a peer reached over UDP in one group and over RDMA in another is
 * two records: one path may fail while the other works). Records hold times on the node's clock; each stack's view converts from
 * and to its own time (time since it started). Stack threads read and write records concurrently: the fields are
 * volatile and a write that races another loses a time that is about as recent, which liveness tolerates.
 */
public final class PeerTable {
    private static final long NEVER = Long.MIN_VALUE / 2;
    private static final long HEARD_RESOLUTION_NS = 1_000_000;

    private record Key(String transport, long self, long peer) {
    }

    private static final class Record {
        volatile long heard = NEVER;
        volatile long beatSent = NEVER;
        volatile long suspected = NEVER;
        volatile long generation;
        int refs;
    }

    private final Map<Key, Record> records = new HashMap<>();
    /** The stacks that report they are running, watched for stalls. */
    private final java.util.Set<View> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When a stack last looked for stalled ones (node time): at most every few milliseconds, not on every tick. */
    private volatile long lastStallScan = Long.MIN_VALUE / 2;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    /** @return the number of peers held (for tests and gauges) */
    public synchronized int size() {
        return records.size();
    }

    /**
     * @param transport the stack's transport
     * @param selfKey   the stack's own member key
     * @param originNs  the node-clock time at which the stack's time is 0
     * @return the stack's view of the table
     */
    PeerLiveness forStack(final String transport, final long selfKey, final long originNs) {
        return new View(transport, selfKey, originNs);
    }

    private synchronized Record acquire(final Key k) {
        final Record r = records.computeIfAbsent(k, x -> new Record());
        r.refs++;
        return r;
    }

    private synchronized void release(final Key k, final Record r) {
        if (--r.refs == 0) {
            records.remove(k, r);
        }
    }

    /**
     * Called from a running stack: raises the generation once for each stall of another stack, a stack silent for
     * longer than its stall bound beyond what the caller itself was late by (a pause of the whole process, or of
     * its only thread, makes everybody late: nobody was stuck on their own).
     *
     * @return the stalls announced
     */
    private int scanForStalls(final View caller, final long now, final long callerLateNs) {
        if (now - lastStallScan < STALL_SCAN_NS) {
            return 0;
        }
        lastStallScan = now;
        int raised = 0;
        for (final View v : running) {
            final long last = v.lastRunning;
            final long announced = v.announcedFor.get();
            // Each silence (identified by the time it began) is announced once; a compare-and-set settles two
            // scanners racing, and a stack that ran in between starts a new silence rather than clearing a flag.
            if (v != caller && announced != last && now - last - callerLateNs > v.stallNs
                && v.announcedFor.compareAndSet(announced, last)) {
                generation.incrementAndGet();
                raised++;
            }
        }
        return raised;
    }

    private static final long STALL_SCAN_NS = 5_000_000;

    private final class View implements PeerLiveness {
        private final String transport;
        private final long self;
        private final long origin;
        private volatile long lastRunning = Long.MIN_VALUE / 2;
        private volatile long stallNs = Long.MAX_VALUE;
        /** The start of the silence last announced as a stall (a raise per stall, not one per scan). */
        private final java.util.concurrent.atomic.AtomicLong announcedFor = new java.util.concurrent.atomic.AtomicLong(
            Long.MIN_VALUE);
        private boolean watched;

        View(final String transport, final long self, final long origin) {
            this.transport = transport;
            this.self = self;
            this.origin = origin;
        }

        @Override
        public Peer acquire(final long peerKey) {
            final Key k = new Key(transport, self, peerKey);
            return new Handle(k, PeerTable.this.acquire(k), origin);
        }

        @Override
        public long generation() {
            return generation.get();
        }

        @Override
        public void changed() {
            generation.incrementAndGet();
        }

        @Override
        public int running(final long nowNs, final long tickNs, final long stall) {
            final long now = origin + nowNs;
            final boolean first = lastRunning == Long.MIN_VALUE / 2;
            final long late = first ? 0 : Math.max(0, now - lastRunning - tickNs);
            stallNs = stall;
            lastRunning = now;
            if (!watched) {
                watched = true;
                running.add(this);
            }
            // A first call cannot tell how late it is itself (it may follow a pause of the whole process).
            return first ? 0 : scanForStalls(this, now, late);
        }

        @Override
        public void retire() {
            watched = true;
            running.remove(this);
        }

        @Override
        public void release(final Peer peer) {
            final Handle h = (Handle) peer;
            if (!h.released) {
                h.released = true;
                PeerTable.this.release(h.key, h.record);
            }
        }
    }

    private static final class Handle implements PeerLiveness.Peer {
        private final Key key;
        private final Record record;
        private final long origin;
        private boolean released;

        Handle(final Key key, final Record record, final long origin) {
            this.key = key;
            this.record = record;
            this.origin = origin;
        }

        private long local(final long nodeTime) {
            return nodeTime == NEVER ? NEVER : nodeTime - origin;
        }

        @Override
        public void heard(final long nowNs) {
            // Called for every frame of a busy group: write (a volatile store) only when the time moved by a
            // millisecond, which is far finer than any liveness timeout.
            if (origin + nowNs - record.heard >= HEARD_RESOLUTION_NS) {
                record.heard = origin + nowNs;
            }
        }

        @Override
        public long lastHeard() {
            return local(record.heard);
        }

        @Override
        public void beatSent(final long nowNs) {
            if (origin + nowNs > record.beatSent) {
                record.beatSent = origin + nowNs;
            }
        }

        @Override
        public long lastBeatSent() {
            return local(record.beatSent);
        }

        @Override
        public void suspect(final long nowNs) {
            record.suspected = origin + nowNs;
        }

        @Override
        public long lastSuspected() {
            return local(record.suspected);
        }

        @Override
        public void generation(final long g) {
            synchronized (record) {
                if (g > record.generation) {
                    record.generation = g;
                }
            }
        }

        @Override
        public long generation() {
            return record.generation;
        }
    }
}
