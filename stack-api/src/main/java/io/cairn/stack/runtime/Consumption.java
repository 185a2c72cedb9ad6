package io.cairn.stack.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery bytes the application has consumed, for flow control: counted when the delivery upcall returns, or,
 * with manual consumption, as the application reports it from any thread.
 */
public final class Consumption {
    private final AtomicLong consumed = new AtomicLong();
    private boolean manual;

    /**
     * The application consumes deliveries after their upcall returns (it queues them) and reports consumption with
     * {@link #report}; flow control then follows real consumption. Call before the stack starts.
     */
    public void manual() {
        manual = true;
    }

    /** The delivery upcall returned (stack thread). */
    void delivered(final int bytes) {
        if (!manual) {
            consumed.lazySet(consumed.get() + bytes);
        }
    }

    /**
     * Reports consumed delivery bytes (manual consumption); any thread.
     *
     * @param bytes payload bytes the application finished with
     */
    public void report(final long bytes) {
        consumed.addAndGet(bytes);
    }

    long total() {
        return consumed.get();
    }
}
