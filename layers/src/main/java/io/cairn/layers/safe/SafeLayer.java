package io.cairn.layers.safe;

import io.cairn.stack.event.Message;
import io.cairn.stack.event.Stable;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.store.MessageLog;


/** Safe (uniform) delivery: a multicast goes up once every member of the view has it. See the package doc. */
@LayerSpec(name = "safe", id = SafeLayer.ID, position = 720, provides = "safe", requires = "stability")
public final class SafeLayer extends PerViewLayer {
    /** Layer id of safe. */
    public static final int ID = 45;

    private final Message held = new Message();
    private int chunk;
    /** Per rank: multicasts received in this view, released up, and known stable. */
    private long[] received = new long[0];
    private long[] released = new long[0];
    private long[] stable = new long[0];
    private MessageLog[] logs = new MessageLog[0];
    private long holding;
    private Counter heldCount;
    private Counter releasedAtViewChange;
    private Counter holdingGauge;

    @Override
    public void configure(final Settings s) {
        chunk = s.storeChunkSize();
    }

    @Override
    protected void onInit(final LayerContext c) {
        heldCount = c.counter("held");
        releasedAtViewChange = c.counter("released_at_view_change");
        holdingGauge = c.counter("gauge.safe_holding");
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final int rank = m.isUnicast() || !inView(m.viewEpoch()) ? -1
            : view().rankOfKey(m.sender());
        if (rank < 0) {
            c.deliver(m);
            return;
        }
        final long k = ++received[rank];
        if (k <= stable[rank] && released[rank] == k - 1) {
            released[rank] = k;
            c.deliver(m);
            return;
        }
        if (logs[rank] == null) {
            logs[rank] = viewLog(chunk);
        }
        logs[rank].put(k, m.buffer(), m.offset(), m.length());
        heldCount.increment();
        holdingGauge.set(++holding);
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (e instanceof Stable s && inView(s.viewEpoch())
            && s.stable().length == stable.length) {
            for (int r = 0; r < stable.length; r++) {
                stable[r] = Math.max(stable[r], s.stable()[r]);
                release(c, r, stable[r]);
            }
        } else if (e instanceof io.cairn.stack.event.Exited x && x.left()) {
            // A leaver took part in its last view's flush: it releases what the survivors release at the change.
            for (int r = 0; r < released.length; r++) {
                release(c, r, Long.MAX_VALUE);
            }
        }
        super.onUpEvent(c, e);
    }

    private void release(final LayerContext c, final int rank, final long upTo) {
        final MessageLog log = logs[rank];
        while (log != null && released[rank] < Math.min(upTo, received[rank])) {
            final long k = ++released[rank];
            held.wrap(log.buffer(k), log.offset(k), log.length(k), c.headroom());
            c.deliver(held);
            log.trimTo(k);
            holdingGauge.set(--holding);
            if (log != logs[rank]) {
                return;
            }
        }
    }

    /**
     * The view is changing: the flush below gave every survivor the same multicasts of the old view, and whoever
     * is not in the new one was excluded, so everything held has reached every member that goes on. Release it
     * before the new view passes up.
     */
    @Override
    protected void onView(final LayerContext c, final View v) {
        for (int r = 0; r < released.length; r++) {
            final long before = released[r];
            release(c, r, Long.MAX_VALUE);
            releasedAtViewChange.add(released[r] - before);
        }
        received = new long[v.size()];
        released = new long[v.size()];
        stable = new long[v.size()];
        logs = new MessageLog[v.size()];
        holding = 0;
        holdingGauge.set(0);
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("holding=").append(holding).append(" received=").append(java.util.Arrays.toString(received))
            .append(" stable=").append(java.util.Arrays.toString(stable));
    }
}
