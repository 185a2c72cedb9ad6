package io.cairn.cli;

import java.util.concurrent.locks.LockSupport;

/**
 * The schedule of an open-loop sender: cast {@code j} is due at {@code t0 + j * period} whatever happened to the
 * casts before it. Latency is then measured from the due time, so a sender held up by back-pressure charges the
 * wait to every cast it delayed (no coordinated omission). Slots that fell due while the sender slept go out at once.
 */
final class OpenLoop {
    private OpenLoop() {
    }

    /**
     * Waits for slot {@code j} (returns at once when it is already due: a late sender catches up without pausing).
     *
     * @return the slot's due time, to stamp in the cast
     */
    static long awaitSlot(final long t0, final long period, final long j) {
        final long due = t0 + j * period;
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            // Parks even for a few microseconds: it oversleeps (tens of microseconds, charged to the casts as
            // latency), but a sender that spun would take a core from the stacks it measures.
            LockSupport.parkNanos(left);
        }
        return due;
    }
}
