package io.cairn.layers.total;

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

/** Total order by a sequencer (the view's coordinator), completed at view changes. See the package doc. */
@LayerSpec(name = "sequencer-total", id = SequencerTotalLayer.ID, position = 750,
    provides = "total", requires = "membership", header = TotalHeader.LENGTH)
public final class SequencerTotalLayer extends PerViewLayer {
    /** Layer id of sequencer-total. */
    public static final int ID = 50;

    private final TimerTask flushOrders = this::sendOrders;
    private final Message held = new Message();
    private int maxBatch;
    private int chunk;

    /** Casts received per rank in this view: the k of the next one is count + 1. */
    private long[] received = new long[0];
    private MessageLog[] pending = new MessageLog[0];
    /** Assignments in gseq order not yet delivered (ring of rank/k pairs). */
    private int[] queueRank = new int[64];
    private long[] queueK = new long[64];
    private int queueHead;
    private int queueSize;
    /** gseq of the next assignment to append, and of the next delivery. */
    private long nextAssign = 1;
    private long nextDeliver = 1;
    private boolean baseKnown = true;

    // Sequencer side.
    private int[] batchRank;
    private long[] batchK;
    private int batchSize;
    private long nextBase;
    private boolean flushScheduled;
    private boolean blocked;
    private boolean exited;

    private Counter ordersSent;
    private Counter completedAtViewChange;
    private Counter skipped;

    @Override
    public void configure(final Settings s) {
        maxBatch = s.intIn("max-batch", 1, 1 << 16);
        chunk = s.storeChunkSize();
    }

    @Override
    protected void onInit(final LayerContext c) {
        maxBatch = Math.min(maxBatch,
            (c.maxFrameLength() - c.headroom() - TotalHeader.ENTRIES_OFFSET) / TotalHeader.ENTRY_LENGTH);
        if (maxBatch < 1) {
            throw new IllegalArgumentException("sequencer-total: the transport frame (" + c.maxFrameLength()
                + " B) has no room for one order entry above the headers (" + c.headroom() + " B)");
        }
        batchRank = new int[maxBatch];
        batchK = new long[maxBatch];
        ordersSent = c.counter("orders_sent");
        completedAtViewChange = c.counter("completed_at_view_change");
        skipped = c.counter("skipped_missing");
    }

    // ------------------------------------------------------------------ casts

    @Override
    public void onCast(final LayerContext c, final Message m) {
        TotalHeader.kind(m.buffer(), m.offset() + c.headerOffset(), TotalHeader.DATA);
        c.cast(m);
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        if (exited) {
            return;
        }
        final byte kind = TotalHeader.kind(m.buffer(), m.offset() + c.headerOffset());
        if (m.isUnicast() || !inView(m.viewEpoch()) || kind == 0) {
            c.deliver(m);
            return;
        }
        final int rank = view().rankOfKey(m.sender());
        if (rank < 0) {
            malformed();
            return;
        }
        if (kind == TotalHeader.DATA) {
            final long k = ++received[rank];
            if (pending[rank] == null) {
                pending[rank] = viewLog(chunk);
            }
            pending[rank].put(k, m.buffer(), m.offset(), m.length());
            if (selfRank() == 0 && !blocked) {
                order(rank, k);
            }
            deliverReady(c);
        } else if (kind == TotalHeader.ORDER && rank == 0) {
            onOrder(c, m);
        } else {
            malformed();
        }
    }

    /** Sequencer: assign the next positions to casts as they arrive, a batch per duty cycle. */
    private void order(final int rank, final long k) {
        batchRank[batchSize] = rank;
        batchK[batchSize] = k;
        if (++batchSize == maxBatch) {
            sendOrders(0);
        } else if (!flushScheduled) {
            flushScheduled = true;
            ctx().schedule(0, flushOrders);
        }
    }

    private void sendOrders(final long now) {
        flushScheduled = false;
        if (view() == null || selfRank() != 0 || blocked) {
            return;
        }
        final Message m = ctx().allocate(TotalHeader.orderLength(batchSize));
        TotalHeader.kind(m.buffer(), m.offset() + ctx().headerOffset(), TotalHeader.ORDER);
        TotalHeader.writeOrder(m.buffer(), m.payloadOffset(), nextBase, batchRank, batchK, batchSize);
        nextBase += batchSize;
        batchSize = 0;
        ordersSent.increment();
        ctx().cast(m);
    }

    private void onOrder(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        if (!TotalHeader.validOrder(m.buffer(), o, m.payloadLength())) {
            malformed();
            return;
        }
        final long base = TotalHeader.base(m.buffer(), o);
        if (!baseKnown) {
            // A newcomer learns where the group's order stands from the sequencer's first batch of the view.
            nextAssign = base;
            nextDeliver = base;
            baseKnown = true;
        } else if (base != nextAssign) {
            malformed();
            return;
        }
        for (int i = 0, n = TotalHeader.count(m.buffer(), o); i < n; i++) {
            final int r = TotalHeader.rank(m.buffer(), o, i);
            if (r >= view().size()) {
                malformed();
                return;
            }
            enqueue(r, TotalHeader.k(m.buffer(), o, i));
        }
        deliverReady(c);
    }

    private void enqueue(final int rank, final long k) {
        if (queueSize == queueRank.length) {
            final int[] r = new int[queueRank.length * 2];
            final long[] kk = new long[queueK.length * 2];
            for (int i = 0; i < queueSize; i++) {
                r[i] = queueRank[(queueHead + i) % queueRank.length];
                kk[i] = queueK[(queueHead + i) % queueK.length];
            }
            queueRank = r;
            queueK = kk;
            queueHead = 0;
        }
        final int at = (queueHead + queueSize) % queueRank.length;
        queueRank[at] = rank;
        queueK[at] = k;
        queueSize++;
        nextAssign++;
    }

    /** Deliver assignments in order while their casts are here. */
    private void deliverReady(final LayerContext c) {
        while (queueSize > 0) {
            final int rank = queueRank[queueHead];
            final long k = queueK[queueHead];
            final MessageLog log = pending[rank];
            if (log == null || !log.contains(k)) {
                return;
            }
            pop();
            deliverFrom(c, log, k);
        }
    }

    private void pop() {
        queueHead = (queueHead + 1) % queueRank.length;
        queueSize--;
    }

    private void deliverFrom(final LayerContext c, final MessageLog log, final long k) {
        held.wrap(log.buffer(k), log.offset(k), log.length(k), c.headroom()).order(nextDeliver++);
        c.deliver(held);
        log.remove(k);
    }

    // ------------------------------------------------------------------ views

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (exited) {
            return;
        }
        if (e instanceof ViewInstalled vi) {
            if (view() != null && !finishView(c)) {
                return;
            }
            enterView(c, vi.view());
        } else if (e instanceof Blocked) {
            // An ORDER cast now would be queued by the flush and sent in the next view, where its names mean
            // nothing: stop ordering; the view change completes the order deterministically.
            blocked = true;
        } else if (e instanceof Exited x) {
            if (x.left() && view() != null && baseKnown) {
                // A leaver took part in the flush of its last view, so it holds what the survivors hold: it
                // completes that view's order exactly as they do before it goes.
                finishView(c);
            }
            endView();
        }
        c.up(e);
    }

    /**
     * The flush gave every survivor the same casts and the same ORDER batches of the old view: deliver what was
     * ordered (skipping casts nobody kept), then the rest by sender rank and position. Everyone computes the same.
     *
     * @return false when this member cannot know the order (a newcomer that never learnt the base): it exits
     */
    private boolean finishView(final LayerContext c) {
        if (!baseKnown) {
            c.up(new Exited("total order unknown: joined a view that ended before its first order", true));
            endView();
            exited = true;
            return false;
        }
        while (queueSize > 0) {
            final int rank = queueRank[queueHead];
            final long k = queueK[queueHead];
            pop();
            final MessageLog log = pending[rank];
            if (log != null && log.contains(k)) {
                deliverFrom(c, log, k);
            } else {
                skipped.increment();
            }
        }
        for (int r = 0; r < pending.length; r++) {
            final MessageLog log = pending[r];
            for (long k = 1; log != null && k <= received[r]; k++) {
                if (log.contains(k)) {
                    completedAtViewChange.increment();
                    deliverFrom(c, log, k);
                }
            }
        }
        return true;
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        final View previous = previousView();
        final boolean newcomer = (previous == null || !previous.contains(c.self())) && v.id().epoch() > 1;
        received = new long[v.size()];
        pending = new MessageLog[v.size()];
        queueHead = 0;
        queueSize = 0;
        nextAssign = nextDeliver;
        baseKnown = !newcomer;
        batchSize = 0;
        blocked = false;
        if (selfRank() == 0) {
            // Tell everyone (newcomers above all) where the order stands, before any assignment of this view.
            nextBase = nextAssign;
            sendOrders(0);
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" next=").append(nextDeliver)
            .append(" queued=").append(queueSize).append(" sequencer=").append(selfRank() == 0);
    }
}
