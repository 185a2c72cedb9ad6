package io.cairn.layers.vsync;

import io.cairn.stack.event.BlockOk;
import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.FlushCompleted;
import io.cairn.stack.event.FlushHolding;
import io.cairn.stack.event.FlushRequest;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.SyncTo;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.InstallView;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.event.ViewOk;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.store.MessageLog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The flush: every survivor delivers the same messages in a view before the next one. See the package doc. */
@LayerSpec(name = "virtual-synchrony", id = VirtualSynchronyLayer.ID, position = 600,
    provides = "virtual-synchrony", requires = {"fifo", "recovery"})
public final class VirtualSynchronyLayer extends PerViewLayer {
    /** Layer id of virtual-synchrony. */
    public static final int ID = 20;

    private final TimerTask retry = this::onRetry;
    private final Message replay = new Message();
    private long retryNs;
    private int chunk;

    private long[] delivered = new long[0];
    private long sent;

    /** Casts issued while blocked (or before the first view), sent in the next view once the application saw it. */
    private MessageLog queued;
    private long queuedNext;
    private long queuedFirst;
    private boolean blocked;
    /** The application has seen the current view ({@code ViewOk}): casts pass. */
    private boolean viewSeen;

    /** A flush announced up with {@code Blocked}, waiting for the {@code BlockOk} that comes back down. */
    private FlushRequest awaiting;

    // The flush this member takes part in.
    private long attempt;
    private MemberId coordinator;
    private List<MemberId> survivors = List.of();
    private boolean holding;
    private MessageLog held;
    private long heldNext;
    /** Where {@code held} is replayed from at a cut: what lies beyond it goes back into {@code held}. */
    private MessageLog replaying;
    private long[] cut;
    private boolean doneSent;
    private boolean retryScheduled;

    // The flush this member coordinates.
    private long[][] reports = new long[0][];
    private final Set<Long> done = new HashSet<>();
    private boolean completed;

    private Counter flushes;
    private Counter queuedCasts;
    private Counter beyondCut;

    @Override
    public void configure(final Settings s) {
        retryNs = s.durationNs("retry-interval", Settings.MICROSECOND, Settings.HOUR);
        chunk = s.storeChunkSize();
    }

    @Override
    protected void onInit(final LayerContext c) {
        queued = new MessageLog(chunk);
        held = new MessageLog(chunk);
        replaying = new MessageLog(chunk);
        flushes = c.counter("flushes");
        queuedCasts = c.counter("queued_casts");
        beyondCut = c.counter("beyond_cut");
    }

    // ------------------------------------------------------------------ casts

    @Override
    public void onCast(final LayerContext c, final Message m) {
        if (view() == null || blocked || !viewSeen) {
            queued.put(++queuedNext, m.buffer(), m.offset(), m.length());
            queuedCasts.increment();
            return;
        }
        sent++;
        c.cast(m);
    }

    // ------------------------------------------------------------------ views and flush requests

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof InstallView iv) {
            c.down(e);
            enterView(c, iv.view());
        } else if (e instanceof ViewOk ok) {
            if (inView(ok.epoch()) && !viewSeen && !blocked) {
                viewSeen = true;
                releaseQueued(c);
            }
            c.down(e);
        } else if (e instanceof FlushRequest fr) {
            startFlush(c, fr);
        } else if (e instanceof BlockOk) {
            if (awaiting != null && view() != null) {
                final FlushRequest fr = awaiting;
                awaiting = null;
                blocked = true;
                beginFlush(c, fr);
            }
        } else {
            c.down(e);
        }
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (e instanceof ViewInstalled vi) {
            enterView(c, vi.view());
            c.up(e);
            return;
        }
        c.up(e);
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        delivered = new long[v.size()];
        sent = 0;
        blocked = false;
        viewSeen = false;
        awaiting = null;
        holding = false;
        cut = null;
        doneSent = false;
        coordinator = null;
        survivors = List.of();
        held.clear();
        heldNext = 0;
        reports = new long[v.size()][];
        done.clear();
        completed = false;
    }

    /**
     * Casts queued during the flush go out in the new view, in the order they were issued, once the application has
     * seen it: a joiner whose state transfer is interrupted exits before its application sees the view, and must
     * not have sent in it what its application still holds as unsent.
     */
    private void releaseQueued(final LayerContext c) {
        for (long i = queuedFirst + 1; i <= queuedNext; i++) {
            final int len = queued.length(i);
            if (len < 0) {
                continue;
            }
            final Message m = c.allocate(len - c.headroom());
            queued.copy(i, m.buffer(), m.offset());
            queued.trimTo(i);
            sent++;
            c.cast(m);
        }
        queuedFirst = queuedNext;
    }

    /**
     * The first request of a view goes up as {@code Blocked} and waits for the {@code BlockOk} the runtime sends
     * back through the command ring: layers above release what they hold (flow control's held cast) and the
     * application's casts offered before it saw {@code Blocked} come down first, so all of them are sent in this
     * view and counted in the report. A later attempt (already blocked) starts at once.
     */
    private void startFlush(final LayerContext c, final FlushRequest fr) {
        if (view() == null || fr.attempt() <= attempt || !fr.survivors().contains(c.self())
            || awaiting != null && fr.attempt() <= awaiting.attempt()) {
            return;
        }
        if (!blocked) {
            if (awaiting == null) {
                flushes.increment();
                c.up(new Blocked());
            }
            awaiting = fr;
            return;
        }
        beginFlush(c, fr);
    }

    private void beginFlush(final LayerContext c, final FlushRequest fr) {
        attempt = fr.attempt();
        coordinator = fr.coordinator();
        survivors = fr.survivors();
        doneSent = false;
        completed = false;
        done.clear();
        reports = new long[view().size()][];
        // From now on nothing more of this view is delivered until this attempt's cut is known. A cut of an
        // earlier attempt is forgotten: the new cut is the maximum of what this attempt's survivors delivered, and
        // can exceed it when they include a member the earlier attempt left out (a suspect that delivered its own
        // casts); what lay beyond the earlier cut is still held, so it can be delivered now.
        cut = null;
        holding = true;
        // Layers below stop acknowledging this view's deliveries: they may fall beyond the cut.
        c.down(new FlushHolding(epoch()));
        sendReport(c);
        scheduleRetry();
    }

    /** What this member has of the view: deliveries per rank, and for itself everything it sent. */
    private void sendReport(final LayerContext c) {
        final long[] mine = delivered.clone();
        mine[selfRank()] = Math.max(mine[selfRank()], sent);
        send(c, FlushControl.FLUSH_OK, mine, coordinator);
    }

    private void send(final LayerContext c, final byte type, final long[] vector, final MemberId to) {
        final Message f = c.allocateControl(FlushControl.length(vector == null ? 0 : vector.length));
        FlushControl.write(f.buffer(), f.payloadOffset(), type, attempt, viewTag(), vector);
        if (to == null) {
            c.castControl(f);
        } else if (to.equals(c.self())) {
            onControl(c, replay.wrap(f.buffer(), f.offset(), f.length(), f.payloadOffset() - f.offset()));
        } else {
            c.sendControl(f, to.key());
        }
    }

    // ------------------------------------------------------------------ deliveries

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        if (m.isUnicast() || !inView(m.viewEpoch())) {
            c.deliver(m);
            return;
        }
        final int rank = view().rankOfKey(m.sender());
        if (rank < 0) {
            malformed();
            return;
        }
        if (holding) {
            held.put(++heldNext, m.buffer(), m.offset(), m.length());
            return;
        }
        deliverInView(c, rank, m);
        checkDone(c);
    }

    private void deliverInView(final LayerContext c, final int rank, final Message m) {
        if (cut != null && delivered[rank] >= cut[rank]) {
            // Kept, not dropped: a later attempt's cut may include it, and the layers below delivered it already.
            beyondCut.increment();
            held.put(++heldNext, m.buffer(), m.offset(), m.length());
            return;
        }
        delivered[rank]++;
        c.deliver(m);
    }

    // ------------------------------------------------------------------ the protocol

    @Override
    public void onControl(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        if (view() == null) {
            return;
        }
        if (!FlushControl.validate(m.buffer(), o, m.payloadLength(), view().size())) {
            malformed();
            return;
        }
        if (!sameView(FlushControl.viewTag(m.buffer(), o)) || FlushControl.attempt(m.buffer(), o) != attempt
            || view().rankOfKey(m.sender()) < 0) {
            return;
        }
        final int from = view().rankOfKey(m.sender());
        switch (FlushControl.type(m.buffer(), o)) {
            case FlushControl.FLUSH_OK -> onReport(c, from, FlushControl.vector(m.buffer(), o, view().size()));
            case FlushControl.CUT -> onCut(c, FlushControl.vector(m.buffer(), o, view().size()));
            case FlushControl.DONE -> onDone(c, from);
            default -> malformed();
        }
    }

    /** Coordinator: once every survivor reported, the cut is the element-wise maximum. */
    private void onReport(final LayerContext c, final int from, final long[] counts) {
        if (!c.self().equals(coordinator)) {
            return;
        }
        reports[from] = counts;
        final long[] max = new long[view().size()];
        for (final MemberId s : survivors) {
            final long[] r = reports[view().rank(s)];
            if (r == null) {
                return;
            }
            for (int k = 0; k < max.length; k++) {
                max[k] = Math.max(max[k], r[k]);
            }
        }
        send(c, FlushControl.CUT, max, null);
        onCut(c, max);
    }

    /** Member: deliver what was held, up to the cut; ask below for what is missing; report when complete. */
    private void onCut(final LayerContext c, final long[] counts) {
        if (cut != null) {
            checkDone(c);
            return;
        }
        cut = counts;
        holding = false;
        c.down(new SyncTo(epoch(), counts.clone()));
        final MessageLog from = held;
        final long last = heldNext;
        held = replaying;
        replaying = from;
        heldNext = 0;
        for (long i = 1; i <= last; i++) {
            final int len = from.length(i);
            if (len >= 0) {
                replay.wrap(from.buffer(i), from.offset(i), len, c.headroom());
                deliverInView(c, view().rankOfKey(replay.sender()), replay);
            }
        }
        from.clear();
        checkDone(c);
    }

    private void checkDone(final LayerContext c) {
        if (cut == null || doneSent) {
            return;
        }
        for (int k = 0; k < cut.length; k++) {
            if (delivered[k] < cut[k]) {
                return;
            }
        }
        doneSent = true;
        send(c, FlushControl.DONE, null, coordinator);
    }

    /** Coordinator: every survivor delivered the cut: the membership layer may install the next view. */
    private void onDone(final LayerContext c, final int from) {
        if (!c.self().equals(coordinator) || completed) {
            return;
        }
        done.add(view().members().get(from).key());
        for (final MemberId s : survivors) {
            if (!done.contains(s.key())) {
                return;
            }
        }
        completed = true;
        c.up(new FlushCompleted(attempt));
    }

    /** Control frames are unreliable: repeat what the other side may have missed until the view changes. */
    private void onRetry(final long now) {
        retryScheduled = false;
        if (view() == null || !blocked) {
            return;
        }
        if (cut == null) {
            sendReport(ctx());
        } else if (doneSent) {
            send(ctx(), FlushControl.DONE, null, coordinator);
        } else {
            ctx().down(new SyncTo(epoch(), cut.clone()));
        }
        if (ctx().self().equals(coordinator) && cut != null && !completed) {
            send(ctx(), FlushControl.CUT, cut, null);
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx().schedule(retryNs, retry);
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" blocked=").append(blocked)
            .append(" attempt=").append(attempt).append(" holding=").append(holding).append(" cut=")
            .append(cut == null ? "-" : java.util.Arrays.toString(cut)).append(" delivered=")
            .append(java.util.Arrays.toString(delivered)).append(" queued=").append(queuedNext - queuedFirst)
            .append(" survivors=").append(new ArrayList<>(survivors));
    }
}
