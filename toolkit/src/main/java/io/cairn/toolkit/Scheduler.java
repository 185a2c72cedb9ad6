package io.cairn.toolkit;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The blocks' only source of time: request time-outs and retries under back-pressure. The default is one daemon
 * timer thread shared by every block of the process (the bounded timer of DESIGN.md §9); a simulation passes one
 * that runs on its virtual clock.
 */
@FunctionalInterface
public interface Scheduler {
    /**
     * Runs a task later, on the scheduler's thread. Tasks must be short and must not block.
     *
     * @param delayNanos how long from now
     * @param task       what to run
     */
    void schedule(long delayNanos, Runnable task);

    /** @return the process-wide timer */
    static Scheduler shared() {
        return Shared.INSTANCE;
    }

    /** Holds the shared timer, created on first use. */
    final class Shared {
        private static final Scheduler INSTANCE = create();

        private Shared() {
        }

        private static Scheduler create() {
            final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                final Thread t = new Thread(r, "cairn-toolkit-timer");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
            return (delay, task) -> timer.schedule(task, delay, TimeUnit.NANOSECONDS);
        }
    }
}
