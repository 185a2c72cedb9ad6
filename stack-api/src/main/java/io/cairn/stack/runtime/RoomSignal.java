package io.cairn.stack.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Where application threads whose casts or sends were refused (back-pressure) wait for the stack to make room,
 * instead of waking every few tens of microseconds to try again: at saturation each of those wake-ups cost a
 * context switch, for nothing. The stack's thread announces room after a duty cycle that did something, while the
 * command ring holds at most half of what it may (for casts, only while flow control lets casts through), and
 * when the stack stops; each announcement wakes each waiter at most once.
 *
 * <p>No wake is lost. A waiter reads {@link #epoch()}, offers, and when refused registers and reads the epoch
 * again, parking only if it has not moved; the stack's thread moves the epoch, then reads the registrations.
 * Both are volatile, so whichever comes second sees the other: the waiter does not park, or it is unparked. Parks
 * are still bounded, so a closed group or a deadline is noticed.
 */
public final class RoomSignal {
    private static final int SLOTS = 8;
    /** Without a free slot: what polling cost before. */
    private static final long SHORT_PARK_NS = 50_000;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicReferenceArray<Thread> waiters = new AtomicReferenceArray<>(SLOTS);
    private final AtomicInteger registered = new AtomicInteger();

    /** @return the count of announcements so far: read before the offer that may be refused */
    public long epoch() {
        return epoch.get();
    }

    /**
     * Parks until the stack announces room after {@code seen}, or {@code maxNs} pass (application thread).
     *
     * @param seen  what {@link #epoch()} returned before the refused offer
     * @param maxNs the longest park
     */
    public void await(final long seen, final long maxNs) {
        final Thread self = Thread.currentThread();
        int slot = -1;
        for (int i = 0; i < SLOTS && slot < 0; i++) {
            if (waiters.get(i) == null && waiters.compareAndSet(i, null, self)) {
                slot = i;
            }
        }
        if (slot < 0) {
            LockSupport.parkNanos(this, Math.min(maxNs, SHORT_PARK_NS));
            return;
        }
        registered.incrementAndGet();
        try {
            if (epoch.get() == seen) {
                LockSupport.parkNanos(this, maxNs);
            }
        } finally {
            waiters.compareAndSet(slot, self, null);
            registered.decrementAndGet();
        }
    }

    /** @return whether a thread may be waiting */
    boolean waiting() {
        return registered.get() != 0;
    }

    /**
     * Announces room and wakes the waiters (stack's thread). A waiter is unparked once per wait: the slot is
     * cleared by whoever takes it first, the stack's thread waking it or the waiter leaving.
     */
    void announce() {
        epoch.incrementAndGet();
        if (registered.get() == 0) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            final Thread t = waiters.get(i);
            if (t != null && waiters.compareAndSet(i, t, null)) {
                LockSupport.unpark(t);
            }
        }
    }
}
