package io.cairn.testkit;

import io.cairn.stack.runtime.StackRuntime;

/** Running a stack on the test's thread (INVOKER mode): until it has no more work, and through virtual time. */
public final class DutyCycles {
    /** The timer wheel's resolution (2^18 ns): stepping by it fires timers scheduled by timers at their deadlines. */
    private static final long TICK_NS = 1L << 18;

    private DutyCycles() {
    }

    /**
     * Runs duty cycles until there is no more work (at most 1,000).
     *
     * @param runtime the stack
     */
    public static void run(final StackRuntime runtime) {
        int cycles = 0;
        while (cycles++ < 1000 && runtime.doWork() > 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Advances the clock by {@code ns}, one timer tick at a time, running the stack at each.
     *
     * @param clock   the stack's clock
     * @param runtime the stack
     * @param ns      how far
     */
    public static void advance(final ManualClock clock, final StackRuntime runtime, final long ns) {
        final long target = clock.nanoTime() + ns;
        while (clock.nanoTime() < target) {
            clock.set(Math.min(target, clock.nanoTime() + TICK_NS));
            run(runtime);
        }
    }
}
