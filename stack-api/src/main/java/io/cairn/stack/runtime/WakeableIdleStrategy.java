package io.cairn.stack.runtime;

import org.agrona.concurrent.IdleStrategy;

import io.cairn.stack.spi.ReceivePoller;

import java.util.concurrent.locks.LockSupport;

/**
 * Agrona's back-off (spin, then yield, then park for a time that doubles up to a maximum) that producers can cut
 * short: {@link #wake()} unparks the stack thread when a frame, cast or event arrives, so an idle stack answers in
 * microseconds rather than after the rest of its park (up to {@code cairn.node.max-park}), and an idle stack still
 * sleeps (no busy spinning). The park still ends by itself after at most the maximum, which keeps timers on time.
 *
 * <p>With a {@link ReceivePoller} (the thread reads its transport's sockets itself), the sockets are polled after
 * every duty cycle, busy or not; an idle thread skips the spins (each poll is a system call) but keeps the yields,
 * then waits in the sockets' readiness instead of parking, so a datagram or a {@link #wake()} ends the wait at once.
 * Without the yields, one at a time over UDP had a p99 of 1.2 ms instead of 0.1 ms here: a thread that blocks at
 * once is often not back on a CPU for a scheduler tick. Such waits last at least a millisecond (the sockets'
 * granularity), so a timer may fire up to that late on an idle stack, as after a longest park.
 *
 * <p>A wake is never lost: the producer publishes {@code signalled} and then reads {@code parked}; the stack thread
 * publishes {@code parked} and then reads {@code signalled} before it parks. Both are volatile, so at least one of
 * them sees the other's write.
 */
public final class WakeableIdleStrategy implements IdleStrategy {
    private final int maxSpins;
    private final int maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private int spins;
    private int yields;
    private long parkNs;
    private volatile Thread parked;
    private volatile boolean signalled;
    private ReceivePoller poller;

    /**
     * @param maxSpins  busy spins before yielding
     * @param maxYields yields before parking
     * @param minParkNs first park
     * @param maxParkNs longest park
     */
    public WakeableIdleStrategy(final int maxSpins, final int maxYields, final long minParkNs, final long maxParkNs) {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    /**
     * Makes the thread poll {@code p} and wait in it instead of parking. Set before the thread starts.
     *
     * @param p the transport's receive side, claimed for this thread
     */
    public void poller(final ReceivePoller p) {
        this.poller = p;
    }

    /** Wakes the stack thread if it is parked, or keeps it from parking next time (any thread). */
    public void wake() {
        if (!signalled) {
            signalled = true;
        }
        final Thread t = parked;
        if (t != null) {
            if (poller != null) {
                poller.wakeup();
            }
            // Also with a poller: its wait may be a park (see ReceivePoller#await), and an unpark that comes first
            // still ends the park that follows.
            LockSupport.unpark(t);
        }
    }

    @Override
    public void idle(final int workCount) {
        // With a poller the sockets are read after every duty cycle, busy or not.
        final int polled = poller != null ? poller.poll() : 0;
        if (workCount > 0 || polled > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (poller == null && spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            parked = Thread.currentThread();
            // Work that arrived after the last duty cycle looked runs at once, without a wait.
            if (!signalled) {
                if (poller != null) {
                    poller.await(parkNs);
                } else {
                    LockSupport.parkNanos(this, parkNs);
                }
            }
            parked = null;
            if (signalled) {
                signalled = false;
                reset();
            } else {
                parkNs = Math.min(parkNs << 1, maxParkNs);
            }
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
    }

    @Override
    public String alias() {
        return "wakeable-backoff";
    }
}
