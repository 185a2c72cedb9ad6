package io.cairn.stack.spi;

/**
 * A timer callback. Layers keep their tasks in fields and reschedule them, so timers do not allocate.
 */
@FunctionalInterface
public interface TimerTask {
    /**
     * Called on the stack's thread when the timer expires.
     *
     * @param nowNs the stack's current time
     */
    void onTimer(long nowNs);
}
