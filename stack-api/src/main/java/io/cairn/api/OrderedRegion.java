package io.cairn.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * An event-count barrier (Horus): upcalls carry consecutive event numbers, worker threads may process them in
 * parallel, and the part that must respect the stack's order runs between {@link #enter(long)} and
 * {@link #leave(long)}, which admit event {@code n} only after event {@code n - 1} has left. Every number must be
 * entered and left (or {@link #skip(long) skipped}) exactly once, or later events wait forever.
 *
 * <pre>{@code
 * OrderedRegion region = group.orderedRegion();
 * ExecutorService pool = Executors.newFixedThreadPool(8);
 * group listener:  public void onDeliver(Delivery d) {
 *     byte[] payload = d.payloadBytes();          // copy: the delivery is only valid during the upcall
 *     long n = d.eventNo();
 *     pool.execute(() -> {
 *         Parsed p = parse(payload);              // runs in parallel
 *         region.enter(n);
 *         try { apply(p); }                       // runs in exact event order
 *         finally { region.leave(n); }
 *     });
 * }
 * }</pre>
 *
 * <p>Waiters spin briefly, then register in a slot indexed by their event number and park; {@code leave} publishes
 * the next number and then unparks whoever is registered for it. Registration is re-checked after publishing, so
 * no wake-up is lost; if two waiters collide on a slot (event numbers {@code slots} apart), the loser parks with a
 * short timeout instead.
 */
public final class OrderedRegion {
    private static final int SPINS = 200;
    private static final long COLLISION_PARK_NS = 50_000;

    private final AtomicLong next;
    private final AtomicReferenceArray<Thread> waiters;
    private final int mask;

    /** A region whose first event number is 1, with 4096 waiter slots. */
    public OrderedRegion() {
        this(1, 4096);
    }

    /**
     * @param firstEvent the first event number
     * @param slots      waiter slots, a power of two; more than the number of threads that wait at once
     */
    public OrderedRegion(final long firstEvent, final int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.next = new AtomicLong(firstEvent);
        this.waiters = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** @return the number of the next event allowed to enter */
    public long next() {
        return next.get();
    }

    /**
     * Waits until every earlier event has left. Interrupts are remembered and re-asserted on return.
     *
     * @param eventNo this event's number
     * @throws IllegalStateException when the event already passed
     */
    public void enter(final long eventNo) {
        long n = next.get();
        if (n > eventNo) {
            throw new IllegalStateException("event " + eventNo + " already passed the region (next is " + n + ")");
        }
        for (int i = 0; i < SPINS && n != eventNo; i++) {
            Thread.onSpinWait();
            n = next.get();
        }
        if (n == eventNo) {
            return;
        }
        final int slot = (int) eventNo & mask;
        final Thread me = Thread.currentThread();
        final boolean registered = waiters.compareAndSet(slot, null, me);
        boolean interrupted = false;
        while (next.get() != eventNo) {
            if (registered) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, COLLISION_PARK_NS);
            }
            interrupted |= Thread.interrupted();
        }
        if (registered) {
            waiters.compareAndSet(slot, me, null);
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    /**
     * Admits the next event.
     *
     * @param eventNo the number passed to {@link #enter(long)}
     * @throws IllegalStateException when {@code eventNo} is not the event inside the region
     */
    public void leave(final long eventNo) {
        if (!next.compareAndSet(eventNo, eventNo + 1)) {
            throw new IllegalStateException("leave(" + eventNo + ") but the region admits " + next.get());
        }
        final Thread t = waiters.get((int) (eventNo + 1) & mask);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Passes an event that needs no ordered section: enter and leave at once.
     *
     * @param eventNo the event number
     */
    public void skip(final long eventNo) {
        enter(eventNo);
        leave(eventNo);
    }

    /**
     * Runs {@code section} in event order.
     *
     * @param eventNo the event number
     * @param section the ordered section
     */
    public void run(final long eventNo, final Runnable section) {
        enter(eventNo);
        try {
            section.run();
        } finally {
            leave(eventNo);
        }
    }
}
