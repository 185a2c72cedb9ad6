package io.cairn.layers.stability;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.FlushHolding;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.Stable;
import io.cairn.stack.event.Trim;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;

/** Stability detection by gossip of delivery vectors. See the package documentation. */
@LayerSpec(name = "stability", id = StabilityLayer.ID, position = 400, provides = "stability", requires = "fifo")
public final class StabilityLayer extends PerViewLayer {
    /** Layer id of stability. */
    public static final int ID = 3;

    private final TimerTask gossipTask = this::onGossipTimer;
    private final TimerTask eagerTask = this::onEagerGossip;
    private boolean eagerScheduled;
    private long delayNs;
    private long intervalNs;
    private long[] delivered = new long[0];
    private long[][] matrix = new long[0][];
    private long[] stable = new long[0];
    private boolean changed;
    private boolean heardDifferent;
    /** The flush above holds this view's deliveries until its cut: acknowledge nothing more of the view. */
    private boolean holding;
    private boolean scheduled;
    private Counter gossipsSent;
    private Counter stableEvents;

    @Override
    public void configure(final Settings s) {
        intervalNs = s.durationNs("gossip-interval", Settings.MICROSECOND, Settings.HOUR);
        delayNs = s.durationNs("gossip-delay", 0, Settings.HOUR);
    }

    @Override
    protected void onInit(final LayerContext c) {
        gossipsSent = c.counter("gossips_sent");
        stableEvents = c.counter("stable_events");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        startView(v);
    }

    private void startView(final View v) {
        final int n = v.size();
        delivered = new long[n];
        matrix = new long[n][n];
        stable = new long[n];
        changed = false;
        heardDifferent = false;
        holding = false;
    }

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof FlushHolding h && inView(h.viewEpoch())) {
            // What arrives from now on may lie beyond the flush cut: it is not acknowledged, or a member outside
            // the flush could deliver it safe and then see the survivors discard it (U1).
            holding = true;
        }
        super.onDownEvent(c, e);
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        if (!m.isUnicast() && inView(m.viewEpoch())) {
            final int rank = view().rankOfKey(m.sender());
            if (rank >= 0 && !holding) {
                delivered[rank]++;
                changed = true;
                schedule();
            }
        }
        c.deliver(m);
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        if (view() == null) {
            return;
        }
        final int o = m.payloadOffset();
        final int from = view().rankOfKey(m.sender());
        if (from < 0 || !StabilityGossip.validate(m.buffer(), o, m.payloadLength(), view().size())) {
            malformed();
            return;
        }
        if (!sameView(StabilityGossip.viewTag(m.buffer(), o)) || from == selfRank()) {
            return;
        }
        final long[] row = matrix[from];
        for (int k = 0; k < row.length; k++) {
            final long v = StabilityGossip.get(m.buffer(), o, k);
            // A member cannot have delivered more than exists; ignore impossible claims beyond what we know of.
            row[k] = Math.max(row[k], v);
            if (v != delivered[k]) {
                heardDifferent = true;
            }
        }
        if (StabilityGossip.waiting(m.buffer(), o)) {
            // The sender waits for rows it may have missed: answer even if nothing changed here.
            heardDifferent = true;
        }
        recompute(c);
        if (heardDifferent) {
            schedule();
        }
    }

    private void recompute(final LayerContext c) {
        boolean advanced = false;
        for (int k = 0; k < stable.length; k++) {
            long min = delivered[k];
            for (int r = 0; r < matrix.length; r++) {
                if (r != selfRank()) {
                    min = Math.min(min, matrix[r][k]);
                }
            }
            if (min > stable[k]) {
                stable[k] = min;
                advanced = true;
            }
        }
        if (advanced) {
            stableEvents.increment();
            final long[] vector = stable.clone();
            c.up(new Stable(epoch(), vector));
            c.down(new Trim(epoch(), vector));
        }
    }

    private void schedule() {
        if (changed && delayNs < intervalNs && !eagerScheduled) {
            eagerScheduled = true;
            ctx().schedule(delayNs, eagerTask);
        }
        if (!scheduled) {
            scheduled = true;
            ctx().schedule(intervalNs, gossipTask);
        }
    }

    /** A change is gossiped after gossip-delay (stability that {@code safe} waits for), not only every interval. */
    private void onEagerGossip(final long now) {
        eagerScheduled = false;
        // Only this member's own progress is gossiped early; answering others' gossip early would ping-pong while
        // vectors differ (a member still catching up), so that waits for the interval.
        if (view() != null && changed) {
            gossip();
        }
    }

    /** Gossip while this member's row changed, someone reported a different row, or not everything is stable. */
    private void onGossipTimer(final long now) {
        scheduled = false;
        if (view() == null) {
            return;
        }
        if (gossip()) {
            schedule();
        }
    }

    private boolean gossip() {
        boolean unstable = false;
        for (int k = 0; k < stable.length; k++) {
            unstable |= stable[k] < delivered[k];
        }
        if (!changed && !heardDifferent && !unstable) {
            return false;
        }
        changed = false;
        heardDifferent = false;
        final Message g = ctx().allocateControl(StabilityGossip.length(delivered.length));
        StabilityGossip.write(g.buffer(), g.payloadOffset(), viewTag(), delivered, unstable);
        ctx().castControl(g);
        gossipsSent.increment();
        recompute(ctx());
        return true;
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("delivered=").append(java.util.Arrays.toString(delivered)).append(" stable=")
            .append(java.util.Arrays.toString(stable));
    }
}
