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
     * @return cancels the task (a time-out whose operation completed must not stay queued: at a hundred thousand
     *         requests a second, 30 s time-outs would hold millions of them)
     */
    Cancel schedule(long delayNanos, Runnable task);

    /** Cancels a scheduled task; harmless once it ran. */
    @FunctionalInterface
    interface Cancel {
        /** Nothing to cancel (a scheduler whose tasks are cheap to keep, such as a simulation's). */
        Cancel NONE = () -> {
        };

        /** Cancels the task. */
        void cancel();
    }

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
            return (delay, task) -> {
                final java.util.concurrent.ScheduledFuture<?> f = timer.schedule(task, delay, TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            };
        }
    }
}
