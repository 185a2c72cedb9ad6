package io.cairn.testkit;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/** Virtual time for deterministic tests: it moves only when told to. */
public final class ManualClock implements NanoClock {
    private long nowNs;

    /** Starts at 1 s, so that "time 0" is never a valid deadline by accident. */
    public ManualClock() {
        this(TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * @param startNs initial time
     */
    public ManualClock(final long startNs) {
        this.nowNs = startNs;
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    /**
     * @param amount how much
     * @param unit   unit
     */
    public void advance(final long amount, final TimeUnit unit) {
        nowNs += unit.toNanos(amount);
    }

    /**
     * @param nanos new time; must not go backwards
     */
    public void set(final long nanos) {
        if (nanos < nowNs) {
            throw new IllegalArgumentException("time must not go backwards: " + nanos + " < " + nowNs);
        }
        nowNs = nanos;
    }
}
