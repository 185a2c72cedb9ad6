package io.cairn.layers.symmetric;

import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.Exited;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.store.MessageLog;

/** Total order without a sequencer: Lamport timestamps and null messages. See the package documentation. */
@LayerSpec(name = "symmetric-total", id = SymmetricTotalLayer.ID, position = 760,
    provides = "total", requires = "membership", header = SymmetricHeader.LENGTH)
public final class SymmetricTotalLayer extends PerViewLayer {
    /** Layer id of symmetric-total. */
    public static final int ID = 55;

    private final TimerTask nullTask = this::sendNull;
    private final Message held = new Message();
    private int chunk;
    private long nullDelayNs;

    private long clock;
    private long lastSentTs;
    /** Highest timestamp of another member's DATA: a null is due while it exceeds {@link #lastSentTs}. */
    private long highestDataTs;
    private boolean nullScheduled;
    private boolean blocked;
    private boolean exited;
    /** Per rank: the last timestamp received (FIFO makes it a lower bound on everything it sends later). */
    private long[] lastTs = new long[0];
    /** Per rank: DATA casts waiting for their turn, in arrival order, numbered from 1. */
    private MessageLog[] queues = new MessageLog[0];
    private long[] head = new long[0];
    private long[] tail = new long[0];
    /** Number of the next delivery in the total order, continuous across views. */
    private long nextDeliver = 1;
    private boolean baseKnown = true;

    private Counter nullsSent;
    private Counter completedAtViewChange;

    @Override
    public void configure(final Settings s) {
        chunk = s.storeChunkSize();
        nullDelayNs = s.durationNs("null-delay", 0, Settings.HOUR);
    }

    @Override
    protected void onInit(final LayerContext c) {
        nullsSent = c.counter("nulls_sent");
        completedAtViewChange = c.counter("completed_at_view_change");
    }

    // ------------------------------------------------------------------ casts

    @Override
    public void onCast(final LayerContext c, final Message m) {
        lastSentTs = ++clock;
        SymmetricHeader.write(m.buffer(), m.offset() + c.headerOffset(), SymmetricHeader.DATA, lastSentTs);
        c.cast(m);
    }

    private void sendNull(final long now) {
        nullScheduled = false;
        if (view() != null && !blocked && !exited && highestDataTs > lastSentTs) {
            lastSentTs = ++clock;
            final Message m = ctx().allocate(0);
            SymmetricHeader.write(m.buffer(), m.offset() + ctx().headerOffset(), SymmetricHeader.NULL, lastSentTs);
            nullsSent.increment();
            ctx().cast(m);
        }
    }

    private void sendBase() {
        lastSentTs = ++clock;
        final Message m = ctx().allocate(8);
        SymmetricHeader.write(m.buffer(), m.offset() + ctx().headerOffset(), SymmetricHeader.BASE, lastSentTs);
        m.buffer().putLong(m.payloadOffset(), nextDeliver, FrameHeader.ORDER);
        ctx().cast(m);
    }

    // ------------------------------------------------------------------ deliveries

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final int at = m.offset() + c.headerOffset();
        final byte kind = SymmetricHeader.kind(m.buffer(), at);
        if (exited || m.isUnicast() || !inView(m.viewEpoch()) || kind == 0) {
            if (!exited) {
                c.deliver(m);
            }
            return;
        }
        final int rank = view().rankOfKey(m.sender());
        final long ts = SymmetricHeader.ts(m.buffer(), at);
        if (rank < 0 || ts <= lastTs[rank] || kind > SymmetricHeader.BASE
            || kind == SymmetricHeader.BASE && (rank != 0 || m.payloadLength() != 8)) {
            // Timestamps of one sender strictly increase and FIFO below keeps them in order.
            malformed();
            return;
        }
        lastTs[rank] = ts;
        clock = Math.max(clock, ts);
        if (kind == SymmetricHeader.DATA) {
            if (queues[rank] == null) {
                queues[rank] = viewLog(chunk);
            }
            queues[rank].put(++tail[rank], m.buffer(), m.offset(), m.length());
            if (rank != selfRank() && ts > highestDataTs) {
                highestDataTs = ts;
                if (!nullScheduled && !blocked) {
                    nullScheduled = true;
                    c.schedule(nullDelayNs, nullTask);
                }
            }
        } else if (kind == SymmetricHeader.BASE) {
            final long base = m.buffer().getLong(m.payloadOffset(), FrameHeader.ORDER);
            if (!baseKnown) {
                // A newcomer learns where the order stands (its state was taken at this point).
                nextDeliver = base;
                baseKnown = true;
            } else if (base != nextDeliver) {
                malformed();
            }
        }
        deliverReady(c, false);
    }

    /**
     * Delivers in (timestamp, rank) order while the smallest waiting cast can no longer be preceded: every other
     * member has sent something with a timestamp at least as large. At a view change ({@code all}) the flush has
     * made the waiting set identical everywhere, so the rest is delivered in the same order without that test.
     */
    private void deliverReady(final LayerContext c, final boolean all) {
        while (baseKnown) {
            int best = -1;
            long bestTs = Long.MAX_VALUE;
            for (int r = 0; r < queues.length; r++) {
                if (head[r] < tail[r]) {
                    final MessageLog log = queues[r];
                    final long ts = SymmetricHeader.ts(log.buffer(head[r] + 1),
                        log.offset(head[r] + 1) + c.headerOffset());
                    if (ts < bestTs) {
                        best = r;
                        bestTs = ts;
                    }
                }
            }
            if (best < 0 || !all && !nobodyCanPrecede(best, bestTs)) {
                return;
            }
            final MessageLog log = queues[best];
            final long k = ++head[best];
            held.wrap(log.buffer(k), log.offset(k), log.length(k), c.headroom()).order(nextDeliver++);
            if (all) {
                completedAtViewChange.increment();
            }
            c.deliver(held);
            log.trimTo(k);
            if (log != queues[best]) {
                return;
            }
        }
    }

    private boolean nobodyCanPrecede(final int rank, final long ts) {
        for (int j = 0; j < lastTs.length; j++) {
            if (j != rank && lastTs[j] < ts) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ views

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (exited) {
            return;
        }
        if (e instanceof ViewInstalled vi) {
            if (view() != null) {
                if (!baseKnown) {
                    exited = true;
                    endView();
                    c.up(new Exited("total order unknown: joined a view that ended before its base", true));
                    return;
                }
                deliverReady(c, true);
            }
            enterView(c, vi.view());
        } else if (e instanceof Blocked) {
            blocked = true;
        } else if (e instanceof Exited x) {
            if (x.left() && view() != null && baseKnown) {
                // A leaver took part in its last view's flush: it completes that view as the survivors do.
                deliverReady(c, true);
            }
            endView();
        }
        c.up(e);
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        final View previous = previousView();
        final boolean newcomer = (previous == null || !previous.contains(c.self())) && v.id().epoch() > 1;
        final int n = v.size();
        lastTs = new long[n];
        queues = new MessageLog[n];
        head = new long[n];
        tail = new long[n];
        highestDataTs = 0;
        lastSentTs = 0;
        blocked = false;
        baseKnown = !newcomer;
        if (selfRank() == 0) {
            // Before any cast of this view: tells newcomers where the order stands, and starts everyone's clock.
            sendBase();
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" next=").append(nextDeliver)
            .append(" clock=").append(clock).append(" lastTs=").append(java.util.Arrays.toString(lastTs));
    }
}
