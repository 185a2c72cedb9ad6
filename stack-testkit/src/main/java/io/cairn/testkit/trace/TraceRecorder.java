package io.cairn.testkit.trace;

import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.WouldBlockException;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.sim.SimMember;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Records the trace of one member of a real-time group (real threads, sockets, clocks): wrap the application's
 * listener with it and cast through {@link #cast}. Payloads start with the member's 8-byte sequence number, as
 * in the simulator. Traces of several members (even several processes, written with {@link Trace#write}) are
 * merged with {@link Trace#merge} and checked with {@link TraceChecker}. Times are {@link System#nanoTime()},
 * comparable within one host.
 *
 * <h2>Where a cast is recorded</h2>
 * At the same point as the simulator's {@link SimMember}: a cast accepted while the application has a view and has
 * not seen {@code Blocked} is recorded in the current view; one issued after {@code Blocked} (or before the first
 * view, or after the member exited) is recorded in the next view. This is exact, not a guess, because
 * {@link #cast} offers the cast to the stack while holding the lock that the {@code Blocked} upcall also takes,
 * and the runtime answers {@code Blocked} with a {@code BlockOk} queued behind every cast offered before the
 * upcall returned: those go out in the current view. A cast issued while blocked waits (up to its timeout) for
 * the next view and is offered then, so it cannot land in front of that {@code BlockOk}. Each cast is recorded
 * once; the checker flags a second record of a message id (I1).
 *
 * <h2>E1</h2>
 * {@link #recordHandlerErrors(Group)} records the stack's {@code stack.handler_errors} counter as a
 * {@code handler_errors} gauge; call it before checking, for every member. With {@link #bind(Group)} the counter
 * of an incarnation that exits (and auto-rejoins as a new one, with a new stack) is recorded at its exit too.
 */
public final class TraceRecorder implements GroupListener {
    private final Trace trace;
    private final GroupListener delegate;
    private final TraceEvent.Mode mode;
    private volatile String self;
    private volatile String vid;
    private long seq;
    private long idx;
    private boolean blocked;
    private boolean exited;
    private volatile Group group;

    /**
     * @param trace    where to record (may be shared by several members of one JVM)
     * @param provides what the group's stack provides (chooses the recorded mode)
     * @param delegate the application's listener, or null
     */
    public TraceRecorder(final Trace trace, final Set<Property> provides, final GroupListener delegate) {
        this.trace = trace;
        this.delegate = delegate;
        this.mode = provides.contains(Property.SAFE) ? TraceEvent.Mode.SAFE
            : provides.contains(Property.TOTAL) ? TraceEvent.Mode.TOTAL
            : provides.contains(Property.CAUSAL) ? TraceEvent.Mode.CAUSAL
            : provides.contains(Property.FIFO) ? TraceEvent.Mode.FIFO : TraceEvent.Mode.RELIABLE;
    }

    /**
     * Casts {@code payload} (its first 8 bytes are overwritten with the next sequence number) and records the send.
     * Call from one application thread per member. While the member is blocked by a flush, has no view yet or has
     * exited (and not yet rejoined), the call waits for the next view. Under back-pressure it retries until
     * {@code timeout}; with {@code ThreadingMode.INVOKER} another thread must drive the node meanwhile.
     *
     * @param group   the member's group
     * @param payload at least 8 bytes
     * @param timeout how long to wait for a view and for back-pressure to clear
     * @throws WouldBlockException when the cast was not taken within {@code timeout}
     */
    public void cast(final Group group, final byte[] payload, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final UnsafeBuffer b = new UnsafeBuffer(payload);
        int spins = 0;
        while (true) {
            synchronized (this) {
                awaitView(deadline, timeout);
                if (self == null) {
                    self = group.self().toString();
                }
                b.putLong(0, seq + 1, ByteOrder.LITTLE_ENDIAN);
                // Offered under the lock, so no Blocked upcall comes between choosing the view and the offer; and
                // recorded before the lock is released, so this member's delivery upcall comes after the send.
                // Under the trace's lock too: another member's stack thread could deliver the cast and record
                // that before this thread records the send.
                // The time is read before the offer: another process's trace (merged by time) may deliver the cast
                // before this thread gets past tryCast, and a send stamped later read as "delivered, never sent".
                synchronized (trace) {
                    final long sentAt = System.nanoTime();
                    if (group.tryCast(b, 0, payload.length)) {
                        seq++;
                        trace.add(TraceEvent.send(sentAt, self, seq, vid, mode, SimMember.hash(b, 0, payload.length)));
                        return;
                    }
                }
            }
            // Back-pressure: retry outside the lock, so the stack's upcalls go on.
            if (System.nanoTime() - deadline > 0) {
                throw new WouldBlockException("cast to group '" + group.name() + "' not accepted within " + timeout);
            }
            if (++spins > 100) {
                LockSupport.parkNanos(50_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Waits, holding the lock between waits, until this member has a view and is not blocked by a flush. */
    private void awaitView(final long deadline, final Duration timeout) {
        while (blocked || vid == null || exited) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new WouldBlockException("cast by " + self + " waited " + timeout + " for a view ("
                    + (exited ? "exited" : blocked ? "blocked by a flush" : "no view yet") + ")");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WouldBlockException("cast by " + self + " interrupted while waiting for a view");
            }
        }
    }

    @Override
    public void onDeliver(final Delivery d) {
        final long s = d.length() >= 8 ? d.buffer().getLong(d.offset(), ByteOrder.LITTLE_ENDIAN) : 0;
        final MemberId from = d.sender();
        synchronized (this) {
            trace.add(TraceEvent.deliver(System.nanoTime(), self, from == null ? "?" : from.toString(), s, vid, mode,
                SimMember.hash(d.buffer(), d.offset(), d.length()), ++idx, 0));
        }
        if (delegate != null) {
            delegate.onDeliver(d);
        }
    }

    @Override
    public void onView(final View view, final long eventNo) {
        synchronized (this) {
            String prev = vid;
            vid = view.id().epoch() + ":" + view.id().coordinator();
            final String rejoined = rejoinedAs(view);
            if (rejoined != null) {
                // The group rejoined by itself as a new incarnation (auto-rejoin): record it as that member.
                self = rejoined;
                prev = null;
                idx = 0;
            }
            exited = false;
            if (self == null) {
                self = view.members().stream().filter(m -> true).findFirst().map(Object::toString).orElse("?");
            }
            if (blocked) {
                trace.add(TraceEvent.simple(TraceEvent.Type.UNBLOCK, System.nanoTime(), self));
                blocked = false;
            }
            final long now = System.nanoTime();
            trace.add(TraceEvent.install(now, self, vid, view.members().stream().map(Object::toString)
                .toList(), view.primary(), prev));
            // Casts waiting for the flush to end (or for a first view) go out in this one.
            notifyAll();
        }
        if (delegate != null) {
            delegate.onView(view, eventNo);
        }
    }

    /** @return this member's new incarnation when the view holds its name but not its current incarnation */
    private String rejoinedAs(final View view) {
        if (self == null || self.indexOf('#') < 0) {
            return null;
        }
        final String name = self.substring(0, self.indexOf('#'));
        String found = null;
        for (final MemberId m : view.members()) {
            if (m.toString().equals(self)) {
                return null;
            }
            if (m.toString().startsWith(name + "#")) {
                found = m.toString();
            }
        }
        return found;
    }

    /**
     * Names the member before its first view arrives (the view's first member is not necessarily this one).
     *
     * @param member this member
     * @return this
     */
    public TraceRecorder self(final MemberId member) {
        this.self = member.toString();
        return this;
    }

    @Override
    public void onBlock(final long eventNo) {
        synchronized (this) {
            blocked = true;
            trace.add(TraceEvent.simple(TraceEvent.Type.BLOCK, System.nanoTime(), self));
        }
        if (delegate != null) {
            delegate.onBlock(eventNo);
        }
    }

    @Override
    public void onSuspect(final MemberId member, final long eventNo) {
        trace.add(TraceEvent.suspect(System.nanoTime(), self, member.toString()));
        if (delegate != null) {
            delegate.onSuspect(member, eventNo);
        }
    }

    @Override
    public void onExit(final String reason, final long eventNo) {
        synchronized (this) {
            trace.add(TraceEvent.exit(System.nanoTime(), self, TraceEvent.exitReasonOf(reason)));
            exited = true;
            final Group g = group;
            if (g != null) {
                // Still the exiting incarnation's stack: a rejoin attaches a new one only after this upcall.
                recordHandlerErrors(g);
            }
        }
        if (delegate != null) {
            delegate.onExit(reason, eventNo);
        }
    }

    /**
     * Records the application's request to leave ({@code leave}); call it just before {@link Group#leave()}.
     */
    public void leaveRequested() {
        trace.add(TraceEvent.simple(TraceEvent.Type.LEAVE, System.nanoTime(), self));
    }

    /**
     * The group this recorder listens to: at each exit the exiting incarnation's {@code handler_errors} counter
     * is recorded (E1), before a rejoin replaces its stack.
     *
     * @param g the member's group
     * @return this
     */
    public TraceRecorder bind(final Group g) {
        this.group = g;
        return this;
    }

    /**
     * Records the stack's {@code stack.handler_errors} counter as a {@code handler_errors} gauge of this member
     * (E1): call it for every member once the run is over, before checking the trace.
     *
     * @param g the member's group
     */
    public void recordHandlerErrors(final Group g) {
        final Long n = g.stats().get("stack.handler_errors");
        trace.add(TraceEvent.gauge(System.nanoTime(), self, TraceEvent.HANDLER_ERRORS, n == null ? 0 : n));
    }
}
