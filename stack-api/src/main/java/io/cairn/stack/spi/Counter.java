package io.cairn.stack.spi;

/**
 * A statistics counter owned by one layer. Written only on the stack's thread; readable from any thread through the
 * stats view (reads may be slightly stale, never torn).
 */
public interface Counter {
    /** Adds one. */
    void increment();

    /**
     * @param delta amount to add
     */
    void add(long delta);

    /**
     * Sets the value (for gauges).
     *
     * @param value new value
     */
    void set(long value);

    /** @return the current value */
    long get();
}
