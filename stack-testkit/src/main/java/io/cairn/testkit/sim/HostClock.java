package io.cairn.testkit.sim;

import org.agrona.concurrent.NanoClock;

/**
 * One host's monotonic clock in the simulator (F11): {@code reading + rate x (simulator time since the last
 * change)}. Every incarnation on the host reads it, as processes on one machine share {@code CLOCK_MONOTONIC}. It
 * never goes backwards: after a backward step it holds still until its reading passes the last value it returned
 * (which is all a monotonic clock may do). Trace timestamps do not use it; they stay in simulator time.
 */
final class HostClock implements NanoClock {
    private final NanoClock simulator;
    private long anchorSimNs;
    private long anchorReadingNs;
    private double rate = 1.0;
    private long last = Long.MIN_VALUE;

    /**
     * @param simulator simulator time
     */
    HostClock(final NanoClock simulator) {
        this.simulator = simulator;
        this.anchorSimNs = simulator.nanoTime();
        this.anchorReadingNs = anchorSimNs;
    }

    private long reading(final long simNs) {
        final long elapsed = simNs - anchorSimNs;
        return anchorReadingNs + (rate == 1.0 ? elapsed : Math.round(rate * elapsed));
    }

    @Override
    public long nanoTime() {
        final long v = reading(simulator.nanoTime());
        if (v > last) {
            last = v;
        }
        return last;
    }

    /** @return the current rate */
    double rate() {
        return rate;
    }

    /**
     * Applies a change from now on: {@code offset} sets the reading to simulator time + offset, then {@code jump}
     * steps it, and {@code rate} (unless NaN) sets how fast it runs.
     *
     * @param c the change
     */
    void change(final FaultSchedule.ClockChange c) {
        final long t = simulator.nanoTime();
        long r = c.setsOffset() ? t + c.offsetNs() : reading(t);
        r += c.jumpNs();
        anchorSimNs = t;
        anchorReadingNs = r;
        if (!Double.isNaN(c.rate())) {
            rate = c.rate();
        }
    }
}
