package io.cairn.layers.causal;

import io.cairn.stack.event.BlockOk;
import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.store.MessageLog;


/** Causal multicast (cbcast) with delta-encoded vector timestamps per view. See the package documentation. */
@LayerSpec(name = "causal", id = CausalLayer.ID, position = 740,
    provides = "causal", requires = "fifo", header = CausalHeader.LENGTH)
public final class CausalLayer extends PerViewLayer {
    /** Layer id of causal. */
    public static final int ID = 60;

    private final Message held = new Message();
    private int chunk;
    private long maxHoldingBytes;
    /** {@code Blocked} went up in this view: the flush waits for the application's {@code BlockOk}. */
    private boolean blockRequested;
    /**
     * {@code BlockOk} passed down after it: every later cast is queued by the flush and goes out in the next view.
     * Casts between {@code Blocked} and {@code BlockOk} (the application's, offered before it saw {@code Blocked})
     * still go out in this view and need their entries.
     */
    private boolean blocked;
    /** Per rank: casts delivered in this view, and the count the last own cast told the group about. */
    private long[] delivered = new long[0];
    private long[] announced = new long[0];
    /** Per rank: casts held back, in arrival (FIFO) order, numbered from 1. */
    private MessageLog[] queues = new MessageLog[0];
    private long[] queueHead = new long[0];
    private long[] queueTail = new long[0];
    private int queuesInUse;
    private long holdingBytes;
    private Counter heldBack;
    private Counter discarded;
    private Counter holdingGauge;

    @Override
    public void configure(final Settings s) {
        chunk = s.storeChunkSize();
        maxHoldingBytes = s.bytesIn("max-hold-back", 4096, 1L << 40);
        s.require(maxHoldingBytes >= chunk, "max-hold-back", "must be at least store-chunk-size ("
            + Settings.size(chunk) + ")");
    }

    @Override
    protected void onInit(final LayerContext c) {
        heldBack = c.counter("held_back");
        discarded = c.counter("discarded_at_view_change");
        holdingGauge = c.counter("gauge.causal_holding_bytes");
    }

    // ------------------------------------------------------------------ casts

    @Override
    public void onCast(final LayerContext c, final Message m) {
        final int headerAt = c.headerOffset();
        int n = 0;
        if (view() != null && !blocked) {
            for (int r = 0; r < delivered.length; r++) {
                if (r != selfRank() && delivered[r] != announced[r]) {
                    n++;
                }
            }
        }
        if (n == 0) {
            // Nothing new was delivered since the last cast (or the cast goes out in the next view, where every
            // cast of this view precedes it anyway): no trailer, no copy.
            CausalHeader.entries(m.buffer(), m.offset() + headerAt, 0);
            c.cast(m);
            return;
        }
        final Message out = c.allocate(m.payloadLength() + n * CausalHeader.ENTRY);
        out.buffer().putBytes(out.offset(), m.buffer(), m.offset(), m.length());
        CausalHeader.entries(out.buffer(), out.offset() + headerAt, n);
        final int trailerAt = out.offset() + m.length();
        for (int r = 0, i = 0; r < delivered.length; r++) {
            if (r != selfRank() && delivered[r] != announced[r]) {
                CausalHeader.entry(out.buffer(), trailerAt, i++, r, delivered[r]);
                announced[r] = delivered[r];
            }
        }
        c.cast(out);
    }

    // ------------------------------------------------------------------ deliveries

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final int rank = m.isUnicast() || !inView(m.viewEpoch()) ? -1
            : view().rankOfKey(m.sender());
        if (rank < 0) {
            c.deliver(m);
            return;
        }
        if (!wellFormed(m, rank)) {
            malformed();
            return;
        }
        if (queueHead[rank] == queueTail[rank] && satisfied(m)) {
            deliverNow(c, rank, m);
            releaseHeld(c);
            return;
        }
        hold(c, rank, m);
    }

    private boolean wellFormed(final Message m, final int rank) {
        final int n = CausalHeader.entries(m.buffer(), m.offset() + ctx().headerOffset());
        if (n > view().size() || (long) n * CausalHeader.ENTRY > m.payloadLength()) {
            return false;
        }
        final int trailerAt = m.offset() + m.length() - n * CausalHeader.ENTRY;
        for (int i = 0; i < n; i++) {
            final int r = CausalHeader.rank(CausalHeader.entry(m.buffer(), trailerAt, i));
            if (r >= view().size() || r == rank) {
                return false;
            }
        }
        return true;
    }

    /** Every cast the sender had delivered before this one has been delivered here. */
    private boolean satisfied(final Message m) {
        final int n = CausalHeader.entries(m.buffer(), m.offset() + ctx().headerOffset());
        final int trailerAt = m.offset() + m.length() - n * CausalHeader.ENTRY;
        for (int i = 0; i < n; i++) {
            final long e = CausalHeader.entry(m.buffer(), trailerAt, i);
            if (delivered[CausalHeader.rank(e)] < CausalHeader.count(e)) {
                return false;
            }
        }
        return true;
    }

    private void deliverNow(final LayerContext c, final int rank, final Message m) {
        final int n = CausalHeader.entries(m.buffer(), m.offset() + c.headerOffset());
        final int length = m.length();
        m.length(length - n * CausalHeader.ENTRY);
        delivered[rank]++;
        c.deliver(m);
        // Layers below may still look at the frame after delivering it.
        m.length(length);
    }

    private void hold(final LayerContext c, final int rank, final Message m) {
        if (holdingBytes + m.length() > maxHoldingBytes) {
            // Reliable FIFO below bounds what can be in flight; this much held back means a sender is far ahead
            // of a missing predecessor: a configuration error, not something to drop silently.
            c.fail("causal hold-back exceeds causal.max-hold-back = " + maxHoldingBytes
                + " bytes; raise it above what the senders can have in flight", null);
            return;
        }
        if (queues[rank] == null) {
            queues[rank] = viewLog(chunk);
        }
        if (queueHead[rank] == queueTail[rank]) {
            queuesInUse++;
        }
        queues[rank].put(++queueTail[rank], m.buffer(), m.offset(), m.length());
        holdingBytes += m.length();
        holdingGauge.set(holdingBytes);
        heldBack.increment();
    }

    /** Delivers held casts whose predecessors are now delivered, until none is. */
    private void releaseHeld(final LayerContext c) {
        boolean progress = queuesInUse > 0;
        while (progress) {
            progress = false;
            for (int r = 0; r < queues.length && queuesInUse > 0; r++) {
                while (queueHead[r] < queueTail[r]) {
                    final MessageLog log = queues[r];
                    final long k = queueHead[r] + 1;
                    held.wrap(log.buffer(k), log.offset(k), log.length(k), c.headroom());
                    if (!satisfied(held)) {
                        break;
                    }
                    queueHead[r] = k;
                    holdingBytes -= held.length();
                    if (queueHead[r] == queueTail[r]) {
                        queuesInUse--;
                    }
                    deliverNow(c, r, held);
                    log.trimTo(k);
                    progress = true;
                    if (log != queues[r]) {
                        return;
                    }
                }
            }
        }
        holdingGauge.set(holdingBytes);
    }

    // ------------------------------------------------------------------ views

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (e instanceof Blocked) {
            blockRequested = true;
        }
        super.onUpEvent(c, e);
    }

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof BlockOk && blockRequested) {
            blocked = true;
        }
        super.onDownEvent(c, e);
    }

    /**
     * The flush gave every survivor the same casts of the old view. Deliver what can be; a cast still held has a
     * predecessor that no survivor has (its sender and the predecessor's sender both failed), so every survivor
     * discards the same casts.
     */
    @Override
    protected void onView(final LayerContext c, final View v) {
        if (previousView() != null) {
            releaseHeld(c);
            for (int r = 0; r < queueHead.length; r++) {
                discarded.add(queueTail[r] - queueHead[r]);
            }
        }
        blockRequested = false;
        blocked = false;
        final int n = v.size();
        delivered = new long[n];
        announced = new long[n];
        queues = new MessageLog[n];
        queueHead = new long[n];
        queueTail = new long[n];
        queuesInUse = 0;
        holdingBytes = 0;
        holdingGauge.set(0);
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("delivered=").append(java.util.Arrays.toString(delivered)).append(" holding=")
            .append(holdingBytes).append(" blocked=").append(blocked);
    }
}
