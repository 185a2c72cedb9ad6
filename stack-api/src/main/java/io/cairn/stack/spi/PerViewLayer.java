package io.cairn.stack.spi;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.InstallView;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.wire.ViewTag;

/**
 * Base for layers whose state lives per view (DESIGN.md §2): the per-view context done once. It keeps the view that
 * last reached this layer — {@link ViewInstalled} up (from membership below, or from a static view at the bottom) or
 * {@link InstallView} down (from membership above) — with this member's rank and the view's epoch, answers whether a
 * frame or event belongs to that view, and owns the two standard counters: {@code malformed} (a frame that does not
 * parse or names no member) and {@code no_view} (a frame or event of another view, or before the first). {@link
 * #onView} runs once per view, when it first arrives and after the context moved to it; the event then continues.
 * Subclasses that handle other events override {@code onUpEvent}/{@code onDownEvent} and call {@code super} for the
 * rest; a layer that decides itself when a view starts calls {@link #enterView} and {@link #endView}.
 */
public abstract class PerViewLayer implements Layer {
    private LayerContext context;
    private View view;
    private View previous;
    private int selfRank = -1;
    private long epoch = Long.MIN_VALUE;
    private long tag = Long.MIN_VALUE;
    private Counter malformed;
    private Counter noView;
    /** Logs made by {@link #viewLog} in the current view (and, during {@link #onView}, the previous one). */
    private io.cairn.stack.store.MessageLog[] logs = new io.cairn.stack.store.MessageLog[0];
    private int logCount;

    /**
     * A new view reached this layer: start its state. {@link #view()}, {@link #selfRank()} and {@link #epoch()}
     * already answer for it.
     *
     * @param ctx  context
     * @param view the view
     */
    protected abstract void onView(LayerContext ctx, View view);

    /**
     * Called once from {@link #init}, after the standard counters exist: create counters, schedule timers.
     *
     * @param ctx this layer's context, valid for the stack's lifetime
     */
    protected void onInit(final LayerContext ctx) {
    }

    @Override
    public final void init(final LayerContext ctx) {
        context = ctx;
        malformed = ctx.counter("malformed");
        noView = ctx.counter("no_view");
        onInit(ctx);
    }

    /** @return this layer's context (set by {@link #init}) */
    protected final LayerContext ctx() {
        return context;
    }

    /** @return the current view at this layer, or null before the first */
    protected final View view() {
        return view;
    }

    /** @return the view before the current one at this layer, or null */
    protected final View previousView() {
        return previous;
    }

    /** @return this member's rank in the current view, or -1 (no view, or not in it) */
    protected final int selfRank() {
        return selfRank;
    }

    /** @return the current view's epoch ({@link Long#MIN_VALUE} before the first view) */
    protected final long epoch() {
        return epoch;
    }

    /**
     * @return the current view's tag ({@link ViewTag}): what a control body names its view by, so that a member of
     *     another partition's view with the same epoch is not taken for one of this view
     */
    protected final long viewTag() {
        return tag;
    }

    /**
     * @param viewTag a tag a control body carries
     * @return whether it names the current view, without counting anything
     */
    protected final boolean sameView(final long viewTag) {
        return view != null && viewTag == tag;
    }

    /** @return the number of members of the current view (0 before the first) */
    protected final int viewSize() {
        return view == null ? 0 : view.size();
    }

    /**
     * @param viewEpoch an epoch a frame or event carries
     * @return whether it is the current view's, without counting anything
     */
    protected final boolean inView(final long viewEpoch) {
        return view != null && viewEpoch == epoch;
    }

    /**
     * @param viewEpoch an epoch a frame carries
     * @return whether it is the current view's; if not, the frame is counted as {@code no_view}
     */
    protected final boolean current(final long viewEpoch) {
        if (inView(viewEpoch)) {
            return true;
        }
        noView.increment();
        return false;
    }

    /**
     * @param m a data frame
     * @return whether it was sent in the current view; if not, it is counted as {@code no_view}
     */
    protected final boolean current(final Message m) {
        return current(m.viewEpoch());
    }

    /**
     * @param memberKey a member's key ({@link Message#sender()})
     * @return its rank in the current view, or -1 (no view, or not a member)
     */
    protected final int rankOf(final long memberKey) {
        return view == null ? -1 : view.rankOfKey(memberKey);
    }

    /** Counts a frame that does not parse or does not fit the view; the caller drops it. */
    protected final void malformed() {
        malformed.increment();
    }

    /** Counts a frame or event of another view (or before the first); the caller drops it. */
    protected final void noView() {
        noView.increment();
    }

    /**
     * Moves the context to a view and runs {@link #onView}, unless it is the current view again. {@code ViewInstalled}
     * and {@code InstallView} do this on their way through; a layer that decides itself when a view starts (it
     * finishes the old one first, or may refuse the new one) handles the event and calls this.
     *
     * @param ctx context
     * @param v   the view
     */
    protected final void enterView(final LayerContext ctx, final View v) {
        if (v.equals(view)) {
            return;
        }
        previous = view;
        view = v;
        selfRank = v.rank(ctx.self());
        epoch = v.id().epoch();
        tag = ViewTag.of(v.id());
        final int old = logCount;
        onView(ctx, v);
        // The previous view's logs are closed after onView, which may still read them to finish that view.
        closeLogs(old);
    }

    /**
     * A message log for the current view's state (retransmission copies, hold-back queues): closed, its off-heap
     * chunks back in the shared pool, once the next view has started ({@link #onView} has returned) or when the
     * stack stops. The layer must not use it, or what it handed out, after that.
     *
     * @param chunkBytes the log's chunk size (see {@link io.cairn.stack.store.MessageLog#MessageLog(int)})
     * @return the new log
     */
    protected final io.cairn.stack.store.MessageLog viewLog(final int chunkBytes) {
        final io.cairn.stack.store.MessageLog log = io.cairn.stack.store.MessageLog.pooled(chunkBytes);
        if (logCount == logs.length) {
            logs = java.util.Arrays.copyOf(logs, Math.max(8, logCount * 2));
        }
        logs[logCount++] = log;
        return log;
    }

    /** Closes the first {@code n} logs of {@link #logs} (at most all) and keeps the rest. */
    private void closeLogs(final int upTo) {
        final int n = Math.min(upTo, logCount);
        for (int i = 0; i < n; i++) {
            logs[i].close();
        }
        System.arraycopy(logs, n, logs, 0, logCount - n);
        java.util.Arrays.fill(logs, logCount - n, logCount, null);
        logCount -= n;
    }

    /** Runs {@link #onStop}, then closes the logs of {@link #viewLog}. */
    @Override
    public final void stop(final LayerContext ctx) {
        try {
            onStop(ctx);
        } finally {
            closeLogs(logCount);
        }
    }

    /**
     * The stack stops: cancel what the layer set up outside itself (see {@link Layer#stop}). Its view logs are
     * closed right after.
     *
     * @param ctx this layer's context
     */
    protected void onStop(final LayerContext ctx) {
    }

    /** This member is out of the group (it left, or exited): no current view until the next one enters. */
    protected final void endView() {
        previous = view;
        view = null;
        selfRank = -1;
        epoch = Long.MIN_VALUE;
        tag = Long.MIN_VALUE;
    }

    @Override
    public void onUpEvent(final LayerContext ctx, final UpEvent event) {
        if (event instanceof ViewInstalled vi) {
            enterView(ctx, vi.view());
        }
        ctx.up(event);
    }

    @Override
    public void onDownEvent(final LayerContext ctx, final DownEvent event) {
        if (event instanceof InstallView iv) {
            enterView(ctx, iv.view());
        }
        ctx.down(event);
    }
}
