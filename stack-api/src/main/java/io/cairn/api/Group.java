package io.cairn.api;

import io.cairn.stack.config.StackSpec;
import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.Exited;
import io.cairn.stack.event.Leave;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.Suspected;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.runtime.RoomSignal;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackRuntime;
import org.agrona.DirectBuffer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Membership of one group: cast and send with the guarantees of the group's stack, receive upcalls through the
 * {@link GroupListener}. Thread-safe: any thread may cast; upcalls arrive on the stack's thread.
 */
public final class Group implements AutoCloseable {
    /** How long {@link #cast(byte[])} and its kind wait for back-pressure to clear. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Spins before a waiting call parks. */
    private static final int SPINS = 100;
    /** Longest park waiting for room: the stack announces room, so this only bounds a close or deadline's notice. */
    private static final long ROOM_PARK_NS = 1_000_000;

    private final Node node;
    private final String name;
    private final StackSpec spec;
    private final GroupListener listener;
    private final OrderedRegion region = new OrderedRegion();
    private final Delivery delivery = new Delivery();
    private final Top top = new Top();
    private volatile StackRuntime runtime;
    /**
     * Numbers of the upcalls that carry one to the listener. Counted here rather than in the stack, so requests
     * the application answers inline (state transfer) take no number, and numbering continues across rejoins.
     */
    private long upcalls;
    private volatile View view;
    /** The latest view whose {@code onView} upcall has returned (what {@link #awaitView} waits for). */
    private volatile View seenView;
    private volatile boolean exited;
    /** The application asked to leave: the member is not brought back as a new incarnation after that. */
    private volatile boolean leaveRequested;
    private volatile boolean closed;

    Group(final Node node, final String name, final StackSpec spec, final GroupListener listener) {
        this.node = node;
        this.name = name;
        this.spec = spec;
        this.listener = listener;
    }

    void attach(final StackRuntime runtime) {
        this.runtime = runtime;
        this.exited = false;
    }

    StackListener top() {
        return top;
    }

    StackRuntime runtime() {
        return runtime;
    }

    /** @return the group name */
    public String name() {
        return name;
    }

    /** @return the local member */
    public MemberId self() {
        return runtime.self();
    }

    /** @return the stack this group runs */
    public StackSpec stack() {
        return spec;
    }

    /**
     * What the group's stack guarantees, by property name ({@code total}, {@code causal}, {@code virtual-synchrony},
     * {@code state-transfer}, ...): what a block built on the group checks before it relies on an ordering.
     *
     * @return the names of the properties the stack provides
     */
    public java.util.Set<String> guarantees() {
        final java.util.Set<String> names = new java.util.TreeSet<>();
        spec.provides().forEach(p -> names.add(p.name()));
        return java.util.Collections.unmodifiableSet(names);
    }

    /** @return the latest view delivered to the application, or null before the first */
    public View view() {
        return view;
    }

    /**
     * Waits until this member is in a view and the listener's {@code onView} for it has returned: after
     * {@code join}, the first view that takes it in (or, after an exclusion, the view that takes its next
     * incarnation in). In {@code INVOKER} mode this runs the node's duty cycles while it waits.
     *
     * @param timeout how long to wait
     * @return the view
     * @throws IllegalStateException when no view came within the timeout, or the group is closed
     */
    public View awaitView(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int spins = 0;
        View v;
        while ((v = seenView) == null || exited || !v.contains(self())) {
            if (closed) {
                throw new IllegalStateException("group '" + name + "' is closed");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("group '" + name + "': " + self() + " is in no view after " + timeout
                    + " (a joiner waits for a view that takes it in: is the group's first member, or a majority"
                    + " of cairn.stack.members, running and reachable?)");
            }
            spins = idle("awaitView", spins);
        }
        return v;
    }

    /** @return whether {@link #close()} was called (the stack is stopped; casts and sends are refused) */
    public boolean isClosed() {
        return closed;
    }

    /** @return whether this member has left the group (or lost the primary partition) */
    public boolean hasExited() {
        return exited;
    }

    /** @return the region that orders this group's upcalls when they are processed on a pool */
    public OrderedRegion orderedRegion() {
        return region;
    }

    /** @return the largest payload a cast may carry */
    public int maxPayload() {
        return runtime.maxCommandPayload();
    }

    /**
     * Queues a cast without blocking.
     *
     * @param payload the message
     * @return false when the stack applies back-pressure ("would block"); try again later
     */
    public boolean tryCast(final byte[] payload) {
        checkPayload(payload.length);
        return runtime.offerCast(payload, 0, payload.length);
    }

    /**
     * Queues a cast without blocking; the payload is copied before this returns.
     *
     * @param buffer payload buffer
     * @param offset payload start
     * @param length payload length
     * @return false when the stack applies back-pressure
     */
    public boolean tryCast(final DirectBuffer buffer, final int offset, final int length) {
        checkPayload(length);
        return runtime.offerCast(buffer, offset, length);
    }

    /**
     * Casts, waiting up to {@code timeout} for the stack to accept the message.
     *
     * @param payload the message
     * @param timeout how long to wait for back-pressure to clear
     * @throws WouldBlockException when it did not clear in time
     * @throws IllegalStateException when it would have to wait inside an upcall (see {@link GroupListener})
     */
    public void cast(final byte[] payload, final Duration timeout) {
        cast(null, payload, 0, payload.length, timeout);
    }

    /**
     * Casts a slice of a buffer, waiting up to {@code timeout} for the stack to accept it; the bytes are copied
     * before this returns, and nothing is allocated.
     *
     * @param buffer  payload buffer
     * @param offset  payload start
     * @param length  payload length
     * @param timeout how long to wait for back-pressure to clear
     * @throws WouldBlockException when it did not clear in time
     * @throws IllegalStateException when it would have to wait inside an upcall (see {@link GroupListener})
     */
    public void cast(final DirectBuffer buffer, final int offset, final int length, final Duration timeout) {
        cast(buffer, null, offset, length, timeout);
    }

    /** Casts from {@code array} when it is not null, else from {@code buffer}: a whole array is not wrapped. */
    private void cast(final DirectBuffer buffer, final byte[] array, final int offset, final int length,
                      final Duration timeout) {
        checkPayload(length);
        if (offerCast(runtime, buffer, array, offset, length)) {
            return;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (int spins = 0;;) {
            // The stack of this attempt: a rejoin replaces it (and the old one's stop wakes whoever waited on it).
            final StackRuntime rt = runtime;
            final long epoch = rt.room(true).epoch();
            if (offerCast(rt, buffer, array, offset, length)) {
                return;
            }
            spins = waitMore(deadline, timeout, "cast", spins, rt.room(true), epoch);
        }
    }

    private static boolean offerCast(final StackRuntime rt, final DirectBuffer buffer, final byte[] array,
                                     final int offset, final int length) {
        return array != null ? rt.offerCast(array, offset, length) : rt.offerCast(buffer, offset, length);
    }

    /**
     * Casts, waiting up to 10 s for back-pressure to clear.
     *
     * @param payload the message
     */
    public void cast(final byte[] payload) {
        cast(payload, DEFAULT_TIMEOUT);
    }

    /**
     * Queues a point-to-point send without blocking. Sends are view-scoped, as in Isis and Horus: with {@code pt2pt}
     * in the stack a send is delivered reliably and in order while both members stay in the view it was sent in, and
     * one still unacknowledged when the view changes is not delivered in the next (stacks without {@code pt2pt} give
     * no more than the transport). A message that must survive view changes is cast, or sent again from
     * {@code onView}.
     *
     * @param member  destination
     * @param payload the message
     * @return false when the stack applies back-pressure
     */
    public boolean trySend(final MemberId member, final byte[] payload) {
        checkPayload(payload.length);
        return runtime.offerSend(member.key(), payload, 0, payload.length);
    }

    /**
     * Sends point-to-point, waiting up to {@code timeout} for back-pressure to clear.
     *
     * @param member  destination
     * @param payload the message
     * @param timeout how long to wait
     */
    public void send(final MemberId member, final byte[] payload, final Duration timeout) {
        checkPayload(payload.length);
        await(rt -> rt.offerSend(member.key(), payload, 0, payload.length), timeout, "send", true);
    }

    /**
     * Sends point-to-point, waiting up to 10 s for back-pressure to clear.
     *
     * @param member  destination
     * @param payload the message
     */
    public void send(final MemberId member, final byte[] payload) {
        send(member, payload, DEFAULT_TIMEOUT);
    }

    /** Passes a request (an SPI event: not part of the user API) down the stack. */
    private void request(final DownEvent event) {
        await(rt -> rt.offerEvent(event), DEFAULT_TIMEOUT, "request", false);
    }

    /**
     * With {@code cairn.node.manual-consumption = true} the application hands deliveries to its own queue and
     * reports here when it has finished with them; flow control ({@code credit-flow}) then follows that real
     * consumption instead of the return of the delivery upcall. Any thread.
     *
     * @param bytes payload bytes consumed
     */
    public void consumed(final long bytes) {
        runtime.consumption().report(bytes);
    }

    /** @return a snapshot of the stack's counters ({@code layer.counter -> value}) */
    public Map<String, Long> stats() {
        return runtime.stats().snapshot();
    }

    /** Starts leaving the group gracefully; {@link GroupListener#onExit} follows. */
    public void leave() {
        leaveRequested = true;
        if (!exited && !closed) {
            request(new Leave());
        }
    }

    boolean leaveRequested() {
        return leaveRequested;
    }

    /**
     * Leaves the group gracefully and waits until the member is out of it (its exit reported, and no new
     * incarnation to follow), as a member should before it closes its node: a node closed right after
     * {@link #leave()} stops the stack before the flush that takes the member out is done, and the member ends in a
     * view the others have left behind. Not from a listener upcall (the exit is reported by one). In
     * {@code INVOKER} mode this runs the node's duty cycles while it waits.
     *
     * @param timeout how long to wait
     * @return whether it is out (it left, or was excluded or lost the primary while leaving); false when it was
     *     still leaving when the timeout ran out, or the group was closed
     */
    public boolean leave(final Duration timeout) {
        leave();
        StackRuntime asked = runtime;
        final long deadline = System.nanoTime() + timeout.toNanos();
        int spins = 0;
        while (!exited) {
            if (closed || System.nanoTime() - deadline > 0) {
                return false;
            }
            if (runtime != asked) {
                // A rejoin that had started before the request brought a new incarnation: it leaves too.
                asked = runtime;
                request(new Leave());
            }
            spins = idle("leave", spins);
        }
        return true;
    }

    /**
     * Stops the stack (without a graceful leave; call {@link #leave(Duration)} first for one). No upcall follows.
     * Called in one of the group's own upcalls, it returns at once and the stack stops after the upcall returns; so
     * it does, under {@code invoker} threading, while another thread runs the node's duty cycle (at the next one).
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            node.detach(this);
        }
    }

    private void checkPayload(final int length) {
        if (closed) {
            throw new IllegalStateException("group '" + name + "' is closed");
        }
        if (length > runtime.maxCommandPayload()) {
            throw new IllegalArgumentException("payload of " + length + " B exceeds the maximum of "
                + runtime.maxCommandPayload() + " B (raise cairn.runtime.command-ring-size)");
        }
    }

    private interface Attempt {
        boolean tryOnce(StackRuntime rt);
    }

    /** Retries {@code attempt} until it is taken; a send waits for the stack to make room, a request polls. */
    private void await(final Attempt attempt, final Duration timeout, final String what, final boolean send) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (int spins = 0;;) {
            final StackRuntime rt = runtime;
            final RoomSignal room = send ? rt.room(false) : null;
            final long epoch = send ? room.epoch() : 0;
            if (attempt.tryOnce(rt)) {
                return;
            }
            spins = waitMore(deadline, timeout, what, spins, room, epoch);
        }
    }

    private int waitMore(final long deadline, final Duration timeout, final String what, final int spins,
                         final RoomSignal room, final long epoch) {
        if (closed) {
            throw new IllegalStateException("group '" + name + "' is closed");
        }
        final long left = deadline - System.nanoTime();
        if (left < 0) {
            throw new WouldBlockException(what + " to group '" + name + "' not accepted within " + timeout);
        }
        if (room != null && spins > SPINS && !node.isInvoker()) {
            // Past the spins, so idle() found no upcall on this thread. Parks until the stack announces room (or a
            // bounded while: the deadline, a close).
            room.await(epoch, Math.min(left, ROOM_PARK_NS) + 1);
            return spins + 1;
        }
        return idle(what, spins);
    }

    /**
     * One step of waiting: a duty cycle in INVOKER mode, else spin briefly, then park. Never inside an upcall:
     * what it waits for is the very stack that runs the upcall, which would stall (and in INVOKER mode re-enter).
     */
    private int idle(final String what, final int spins) {
        if (node.runsStackOf(this)) {
            throw new IllegalStateException("group '" + name + "': " + what + " would wait inside an upcall, on the"
                + " thread that runs the stack it waits for; in upcalls use tryCast/trySend (false: retry later) or"
                + " hand the work to another thread");
        }
        if (node.isInvoker()) {
            node.doWork();
        } else if (spins > SPINS) {
            LockSupport.parkNanos(50_000);
        } else {
            Thread.onSpinWait();
        }
        return spins + 1;
    }

    /** Turns the stack's top into listener upcalls. */
    private final class Top implements StackListener {
        @Override
        public void onDeliver(final long stackEventNo, final Message m) {
            if (closed) {
                return; // closed from an upcall earlier in this duty cycle: the stack stops when it ends
            }
            final long eventNo = ++upcalls;
            final View v = view;
            final long key = m.sender();
            final int rank = v == null ? -1 : v.rankOfKey(key);
            listener.onDeliver(delivery.set(m.buffer(), m.payloadOffset(), m.payloadLength(), key,
                rank < 0 ? null : v.members().get(rank), v == null ? null : v.id(), eventNo, m.isUnicast(),
                m.order()));
        }

        @Override
        public void onEvent(final long stackEventNo, final UpEvent e) {
            if (closed) {
                return;
            }
            if (e instanceof io.cairn.stack.event.StateSnapshotRequest r) {
                r.provide(listener.provideState(r.joiner()));
                return;
            }
            if (e instanceof io.cairn.stack.event.StateChunk c) {
                listener.receiveStateChunk(c.data(), c.last());
                return;
            }
            final long eventNo = ++upcalls;
            if (e instanceof ViewInstalled vi) {
                view = vi.view();
                listener.onView(vi.view(), eventNo);
                seenView = vi.view();
            } else if (e instanceof Blocked) {
                listener.onBlock(eventNo);
            } else if (e instanceof Suspected s) {
                listener.onSuspect(s.member(), eventNo);
            } else if (e instanceof Exited x) {
                exited = true;
                listener.onExit(x.reason(), eventNo);
                if (x.rejoin() && !closed && !leaveRequested) {
                    node.rejoinLater(Group.this);
                }
            } else {
                listener.onEvent(e, eventNo);
            }
        }

        @Override
        public void onFailure(final String reason, final Throwable cause) {
            exited = true;
            if (!closed) {
                listener.onFailure(reason, cause);
            }
        }
    }
}
