package io.cairn.toolkit;

import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.MemberId;
import io.cairn.api.View;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The base of every block: a {@link GroupListener} that owns one group. It checks at start that the group's stack
 * provides what the block relies on, tracks the view, sends through an outbox that never blocks the stack's thread,
 * and reports operations to a {@link Recorder}.
 *
 * <p>Upcalls arrive on the stack's thread. A block keeps its state there, or behind its own monitor where the
 * application reads it from other threads; it starts no threads (time-outs use the {@link Scheduler}).
 */
public abstract class Block implements GroupListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.cairn.toolkit");
    private final String kind;
    private final Set<String> requires;
    private final Scheduler scheduler;
    /** Messages the stack did not take yet (back-pressure), in the order they were issued. */
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    private boolean retryScheduled;
    private volatile Recorder recorder = Recorder.NONE;
    private volatile Group group;
    private volatile View view;
    private volatile String self = "?";
    /** A joiner's state, chunk by chunk, until the last one (stack thread). */
    private final java.io.ByteArrayOutputStream incoming = new java.io.ByteArrayOutputStream();
    private final java.util.List<java.util.function.Consumer<String>> exitListeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Outgoing(MemberId to, byte[] payload) {
    }

    /**
     * @param kind      the block's name, for records and errors
     * @param scheduler timer for retries and time-outs
     * @param requires  properties the group's stack must provide
     */
    protected Block(final String kind, final Scheduler scheduler, final String... requires) {
        this.kind = kind;
        this.scheduler = scheduler;
        this.requires = Set.of(requires);
    }

    /**
     * Checks the stack and takes the group; called by the node before any other upcall.
     *
     * @throws IllegalArgumentException when the group's stack lacks a property the block needs
     */
    @Override
    public void onStart(final Group g) {
        final Set<String> missing = new TreeSet<>(requires);
        missing.removeAll(g.guarantees());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(kind + " on group '" + g.name() + "' needs a stack that provides "
                + new TreeSet<>(requires) + "; its stack lacks " + missing
                + " (it provides " + g.guarantees() + "): join with a stack that does, such as '"
                + (missing.contains("total") ? "total" : missing.contains("causal") ? "causal" : "vsync") + "'");
        }
        this.group = g;
    }

    /** @return the group this block runs on */
    public Group group() {
        return group;
    }

    /** @return the current view, or null before the first and after an exit */
    public View view() {
        return view;
    }

    /**
     * The leader of the current view: its oldest member (the coordinator). All members of a view agree on it, and
     * because only a primary view runs (a minority exits), no two views with different leaders run at once.
     *
     * @return the leader, or null when this member is in no primary view
     */
    public MemberId leader() {
        final View v = view;
        return v == null || !v.primary() ? null : v.coordinator();
    }

    /** @return whether this member leads the current view */
    public boolean isLeader() {
        final Group g = group;
        final MemberId l = leader();
        return l != null && g != null && l.equals(g.self());
    }

    /**
     * Waits for this member's first view (see {@link Group#awaitView}).
     *
     * @param timeout how long
     * @return this
     */
    public Block awaitView(final Duration timeout) {
        group.awaitView(timeout);
        return this;
    }

    /**
     * @param r where operations are reported (tests and checkers); {@link Recorder#NONE} by default
     * @return this
     */
    public Block recorder(final Recorder r) {
        this.recorder = r;
        return this;
    }

    /** @return the scheduler this block uses */
    protected Scheduler scheduler() {
        return scheduler;
    }

    /** @return this member as text, as it appears in records */
    protected String me() {
        return self;
    }

    /**
     * Reports an operation.
     *
     * @param op    what happened
     * @param name  the object it concerns (key, lock, request id), or ""
     * @param value a value, or ""
     * @param index a position (total-order index, request number), or -1
     */
    protected void record(final String op, final String name, final String value, final long index) {
        final Recorder r = recorder;
        if (r != Recorder.NONE) {
            final View v = view;
            r.record(new Recorder.Op(kind, self, op, name, value, index, v == null ? "" : v.id().toString()));
        }
    }

    @Override
    public final void onView(final View v, final long eventNo) {
        final View old = view;
        self = group.self().toString();
        view = v;
        record("view", "", members(v), v.id().epoch());
        viewChanged(old, v);
    }

    private static String members(final View v) {
        final StringBuilder b = new StringBuilder();
        for (final MemberId m : v.members()) {
            b.append(b.length() == 0 ? "" : ",").append(m);
        }
        return b.toString();
    }

    @Override
    public final void onExit(final String reason, final long eventNo) {
        view = null;
        incoming.reset();
        synchronized (outbox) {
            outbox.clear();
        }
        record("exit", "", reason, -1);
        exited(reason);
        for (final java.util.function.Consumer<String> l : exitListeners) {
            callback(() -> l.accept(reason));
        }
    }

    /**
     * Runs an application callback from an upcall: its exception must not unwind through the stack (where it would
     * stop this block's exit handling and the node's rejoin), so it is logged and recorded instead.
     *
     * @param callback the application's code
     */
    protected void callback(final Runnable callback) {
        try {
            callback.run();
        } catch (final RuntimeException e) {
            record("callback-error", "", String.valueOf(e), -1);
            LOG.log(System.Logger.Level.WARNING, kind + " on group '" + group.name() + "': an application callback"
                + " threw", e);
        }
    }

    /**
     * @param listener told, on the stack's thread, when this member leaves the group or loses the primary partition
     *                 (blocks built on this one fail what waits on the group)
     */
    public void whenExited(final java.util.function.Consumer<String> listener) {
        exitListeners.add(listener);
    }

    /** Gathers the state's chunks and hands the whole state to {@link #receiveState}. */
    @Override
    public final void receiveStateChunk(final byte[] chunk, final boolean last) {
        incoming.writeBytes(chunk);
        if (last) {
            final java.nio.ByteBuffer state = java.nio.ByteBuffer.wrap(incoming.toByteArray());
            incoming.reset();
            receiveState(state);
        }
    }

    /**
     * A joiner's state, whole, as another member's {@link #provideState} wrote it (stack thread); deliveries of the
     * view follow.
     *
     * @param state the bytes
     */
    protected void receiveState(final java.nio.ByteBuffer state) {
    }

    /**
     * Fails every future waiting in a map and empties it (an exit, a view change that ends an operation).
     *
     * @param waiting futures by key; entries removed concurrently are skipped
     * @param cause   what they fail with
     */
    protected static void failAll(final java.util.Map<?, ? extends java.util.concurrent.CompletableFuture<?>> waiting,
                                  final Throwable cause) {
        for (final Object key : new java.util.ArrayList<>(waiting.keySet())) {
            final java.util.concurrent.CompletableFuture<?> f = waiting.remove(key);
            if (f != null) {
                f.completeExceptionally(cause);
            }
        }
    }

    @Override
    public final void onDeliver(final Delivery d) {
        deliver(d, d.payloadBytes());
    }

    /**
     * A message of this block (a cast, or a point-to-point send when {@link Delivery#isUnicast()}).
     *
     * @param d       the delivery (sender, view)
     * @param payload its bytes (owned by the callee)
     */
    protected abstract void deliver(Delivery d, byte[] payload);

    /**
     * The view changed (stack thread).
     *
     * @param old the previous view, or null
     * @param now the new view
     */
    protected void viewChanged(final View old, final View now) {
    }

    /**
     * This member left the group or lost the primary partition: fail what waits on the group.
     *
     * @param reason why
     */
    protected void exited(final String reason) {
    }

    /**
     * Casts without blocking: what the stack does not take now waits in the outbox, in order, and is retried.
     *
     * @param payload the message
     */
    protected void cast(final byte[] payload) {
        out(new Outgoing(null, payload));
    }

    /**
     * Sends point-to-point without blocking (through the outbox, after earlier casts and sends).
     *
     * @param to      destination
     * @param payload the message
     */
    protected void send(final MemberId to, final byte[] payload) {
        out(new Outgoing(to, payload));
    }

    private void out(final Outgoing o) {
        // Checked before queueing: a message the stack can never take would block every later one behind it.
        if (o.payload().length > group.maxPayload()) {
            throw new IllegalArgumentException(kind + " on group '" + group.name() + "': a message of "
                + o.payload().length + " B exceeds the largest the stack takes (" + group.maxPayload()
                + " B; raise cairn.runtime.command-ring-size)");
        }
        synchronized (outbox) {
            outbox.add(o);
            drain();
        }
    }

    private void drain() {
        final Group g = group;
        if (g.isClosed()) {
            // A timer or a late call after close: nothing can be sent any more.
            outbox.clear();
            return;
        }
        while (!outbox.isEmpty()) {
            final Outgoing o = outbox.peek();
            final boolean taken;
            try {
                taken = o.to() == null ? g.tryCast(o.payload()) : g.trySend(o.to(), o.payload());
            } catch (final IllegalStateException closedMeanwhile) {
                outbox.clear();
                return;
            }
            if (!taken) {
                if (!retryScheduled) {
                    retryScheduled = true;
                    scheduler.schedule(1_000_000L, () -> {
                        synchronized (outbox) {
                            retryScheduled = false;
                            drain();
                        }
                    });
                }
                return;
            }
            outbox.poll();
        }
    }

    /** @return messages waiting in this block's outbox because the stack pushes back (0 when it keeps up) */
    protected int backlog() {
        synchronized (outbox) {
            return outbox.size();
        }
    }

    /** Leaves the group gracefully ({@link #exited} follows). */
    public void leave() {
        group.leave();
    }

    /** Stops the group without leaving. */
    @Override
    public void close() {
        group.close();
    }

    /**
     * @param members members
     * @return the ones among them in {@code view}
     */
    protected static List<MemberId> in(final View view, final List<MemberId> members) {
        return members.stream().filter(view::contains).toList();
    }
}
