package io.cairn.stack.runtime;

import io.cairn.stack.spi.TimerTask;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.TimeUnit;

/**
 * Timers of one stack on an Agrona {@link DeadlineTimerWheel}. Deterministic: expiry order depends only on the
 * schedule and the times passed to {@link #poll(long)}.
 */
final class Timers implements DeadlineTimerWheel.TimerHandler {
    /** Tick of 2^18 ns (about 262 us): finer than any protocol interval, coarse enough for a small wheel. */
    static final long TICK_NS = 1L << 18;
    private static final int TICKS_PER_WHEEL = 1024;
    /**
     * Slots per tick to start with; the wheel doubles them when a tick overflows. Agrona's default (16) is
     * 128 KiB of wheel per stack, most of an idle group's memory when a node runs a thousand.
     */
    private static final int INITIAL_TICK_ALLOCATION = 2;
    private static final int EXPIRY_LIMIT = 1024;

    /** Runs one expired task: the runtime guards it like any other handler (E1). */
    interface Runner {
        void run(TimerTask task, Slot owner, long nowNs);
    }

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<TimerTask> tasks = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Slot> owners = new Long2ObjectHashMap<>();
    private final Runner runner;

    Timers(final long startNs) {
        this(startNs, (task, owner, now) -> task.onTimer(now));
    }

    Timers(final long startNs, final Runner runner) {
        this.runner = runner;
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, startNs, TICK_NS, TICKS_PER_WHEEL,
            INITIAL_TICK_ALLOCATION);
    }

    long schedule(final long deadlineNs, final TimerTask task) {
        return schedule(deadlineNs, task, null);
    }

    long schedule(final long deadlineNs, final TimerTask task, final Slot owner) {
        final long id = wheel.scheduleTimer(deadlineNs);
        tasks.put(id, task);
        if (owner != null) {
            owners.put(id, owner);
        }
        return id;
    }

    void cancel(final long id) {
        owners.remove(id);
        if (tasks.remove(id) != null) {
            wheel.cancelTimer(id);
        }
    }

    int size() {
        return tasks.size();
    }

    /** Expires every timer due at {@code nowNs}, advancing the wheel through all elapsed ticks. */
    int poll(final long nowNs) {
        int expired = 0;
        do {
            expired += wheel.poll(nowNs, this, EXPIRY_LIMIT);
        } while (wheel.currentTickTime() <= nowNs && expired < EXPIRY_LIMIT);
        return expired;
    }

    @Override
    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId) {
        final TimerTask task = tasks.remove(timerId);
        final Slot owner = owners.remove(timerId);
        if (task != null) {
            runner.run(task, owner, now);
        }
        return true;
    }
}
