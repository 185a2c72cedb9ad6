package io.cairn.layers.fifo;

import io.cairn.stack.event.Message;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.Property;
import io.cairn.stack.store.MessageLog;


/** Per-sender FIFO delivery with a bounded hold-back queue. See the package documentation. */
@LayerSpec(name = "fifo", id = FifoLayer.ID, position = 300,
    provides = "fifo", requires = "reliable", header = FifoHeader.LENGTH)
public final class FifoLayer extends PerViewLayer {
    /** Layer id of fifo. */
    public static final int ID = 2;

    private final Message held = new Message();
    private int maxHoldBack;
    private int chunkBytes;
    private long sent;
    private long[] next = new long[0];
    private MessageLog[] holdBack = new MessageLog[0];
    private Counter heldBack;
    private Counter duplicates;
    private Counter overflow;
    private Counter holdBackGauge;
    private long holding;

    @Override
    public void configure(final Settings s) {
        maxHoldBack = s.intIn("max-hold-back", 1, 1 << 24);
        chunkBytes = s.storeChunkSize();
        final Settings reliable = s.below(Property.RELIABLE);
        if (reliable != null && reliable.config().hasPath("window")
            && reliable.config().getValue("window").valueType() == com.typesafe.config.ConfigValueType.NUMBER) {
            // What the reliability layer may pass up out of order per sender must fit the hold-back.
            final int window = reliable.config().getInt("window");
            s.require(maxHoldBack >= window, "max-hold-back", "must be at least the reliability window ("
                + reliable.key("window") + " = " + window + ")");
        }
    }

    @Override
    protected void onInit(final LayerContext c) {
        heldBack = c.counter("held_back");
        duplicates = c.counter("duplicates");
        overflow = c.counter("overflow");
        holdBackGauge = c.counter("gauge.hold_back");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        startView(v);
    }

    private void startView(final View v) {
        sent = 0;
        next = new long[v.size()];
        java.util.Arrays.fill(next, 1);
        holdBack = new MessageLog[v.size()];
        holding = 0;
        holdBackGauge.set(0);
    }

    @Override
    public void onCast(final LayerContext c, final Message m) {
        FifoHeader.seq(m.buffer(), m.offset() + c.headerOffset(), view() == null ? 0 : ++sent);
        c.cast(m);
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final long seq = FifoHeader.seq(m.buffer(), m.offset() + c.headerOffset());
        if (seq == 0) {
            c.deliver(m);
            return;
        }
        final int rank = rankOf(m.sender());
        if (rank < 0 || !inView(m.viewEpoch()) || seq < 0) {
            malformed();
            return;
        }
        if (seq < next[rank]) {
            duplicates.increment();
            return;
        }
        if (seq > next[rank]) {
            hold(rank, seq, m);
            return;
        }
        next[rank]++;
        c.deliver(m);
        release(c, rank);
    }

    private void hold(final int rank, final long seq, final Message m) {
        if (seq - next[rank] >= maxHoldBack) {
            // Reliability below never runs further ahead than its window; this is a configuration error.
            overflow.increment();
            ctx().logger().log(System.Logger.Level.WARNING, "fifo hold-back full (raise fifo.max-hold-back above "
                + "the reliability window): dropping seq " + seq + " from rank " + rank);
            return;
        }
        if (holdBack[rank] == null) {
            holdBack[rank] = viewLog(chunkBytes);
        }
        if (holdBack[rank].put(seq, m.buffer(), m.offset(), m.length())) {
            heldBack.increment();
            holdBackGauge.set(++holding);
        } else {
            duplicates.increment();
        }
    }

    private void release(final LayerContext c, final int rank) {
        final MessageLog log = holdBack[rank];
        if (log == null) {
            return;
        }
        long seq;
        while (log.contains(seq = next[rank])) {
            next[rank]++;
            final int len = log.length(seq);
            held.wrap(log.buffer(seq), log.offset(seq), len, c.headroom());
            c.deliver(held);
            log.trimTo(seq);
            holdBackGauge.set(--holding);
            if (view() == null || rank >= next.length) {
                return;
            }
        }
        log.trimTo(next[rank] - 1);
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("sent=").append(sent).append(" holding=").append(holding).append(" next=")
            .append(java.util.Arrays.toString(next)).append(" selfRank=").append(selfRank());
    }
}
