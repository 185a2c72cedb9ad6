package io.cairn.testkit.trace;

import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.stack.event.MemberId;
import io.cairn.stack.event.View;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.sim.SimMember;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records the trace of one member of a real-time group (real threads, sockets, clocks): wrap the application's
 * listener with it and cast through {@link #cast}. Payloads start with the member's 8-byte sequence number, as
 * in the simulator. Traces of several members (even several processes, written with {@link Trace#write}) are
 * merged with {@link Trace#merge} and checked with {@link TraceChecker}. Times are {@link System#nanoTime()},
 * comparable within one host.
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
    /** Casts recorded in the current view and not yet delivered back to this member, by sequence number. */
    private final java.util.Map<Long, TraceEvent> unconfirmed = new java.util.HashMap<>();
    /** Casts issued while blocked or before the first view. */
    private final List<TraceEvent> deferred = new ArrayList<>();

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
     * Call from one application thread per member.
     *
     * @param group   the member's group
     * @param payload at least 8 bytes
     * @param timeout back-pressure timeout
     */
    public void cast(final Group group, final byte[] payload, final Duration timeout) {
        synchronized (this) {
            final UnsafeBuffer b = new UnsafeBuffer(payload);
            b.putLong(0, ++seq, ByteOrder.LITTLE_ENDIAN);
            self = group.self().toString();
            // Record before casting: the delivery upcall may run on another thread before cast returns.
            final TraceEvent e = TraceEvent.send(System.nanoTime(), self, seq, vid, mode,
                SimMember.hash(b, 0, payload.length));
            if (blocked || vid == null) {
                // The stack sends it in the next view (the flush queues casts).
                deferred.add(e);
            } else {
                trace.add(e);
                unconfirmed.put(seq, e);
            }
        }
        // Outside the lock: a blocking cast must not stop the stack's upcalls.
        group.cast(payload, timeout);
    }

    /**
     * The new view {@code vid} was just recorded: casts deferred during the flush are sent in it, and so are casts
     * recorded in the old view that this member never delivered there (the stack took them after the flush had
     * started, which the application cannot see). Re-recording them in the new view supersedes the first record.
     */
    private void recordQueuedSends(final long now) {
        final List<TraceEvent> moved = new ArrayList<>(unconfirmed.values());
        moved.addAll(deferred);
        moved.sort(java.util.Comparator.comparingLong(TraceEvent::seq));
        unconfirmed.clear();
        deferred.clear();
        for (final TraceEvent e : moved) {
            final TraceEvent again = TraceEvent.send(now, self, e.seq(), vid, mode, e.h());
            trace.add(again);
            unconfirmed.put(e.seq(), again);
        }
    }

    @Override
    public void onDeliver(final Delivery d) {
        final long s = d.length() >= 8 ? d.buffer().getLong(d.offset(), ByteOrder.LITTLE_ENDIAN) : 0;
        final MemberId from = d.sender();
        synchronized (this) {
            if (from != null && from.toString().equals(self)) {
                unconfirmed.remove(s);
            }
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
                // Casts the old incarnation had not delivered died with its stack, as with a crash.
                unconfirmed.clear();
                deferred.clear();
            }
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
            recordQueuedSends(now);
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
        trace.add(TraceEvent.simple(TraceEvent.Type.LEAVE, System.nanoTime(), self));
        if (delegate != null) {
            delegate.onExit(reason, eventNo);
        }
    }
}
