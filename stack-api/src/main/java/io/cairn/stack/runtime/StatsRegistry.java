package io.cairn.stack.runtime;

import io.cairn.stack.spi.Counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of one stack. Counters are created at assembly (not on the hot path) and written only on the
 * stack's thread with opaque stores, so another thread reading the snapshot sees recent, untorn values without the
 * writer paying for fences.
 */
public final class StatsRegistry {
    private final List<Entry> entries = new ArrayList<>();

    /**
     * Creates or returns a counter.
     *
     * @param name full name ({@code <layer>.<counter>})
     * @return the counter
     */
    public synchronized Counter counter(final String name) {
        for (final Entry e : entries) {
            if (e.name.equals(name)) {
                return e.counter;
            }
        }
        final OpaqueCounter c = new OpaqueCounter();
        entries.add(new Entry(name, c));
        return c;
    }

    /** @return a consistent-enough copy of every counter, in creation order */
    public synchronized Map<String, Long> snapshot() {
        final Map<String, Long> out = new LinkedHashMap<>();
        for (final Entry e : entries) {
            out.put(e.name, e.counter.get());
        }
        return out;
    }

    /**
     * @param name full counter name
     * @return its value, or 0 when absent
     */
    public synchronized long get(final String name) {
        for (final Entry e : entries) {
            if (e.name.equals(name)) {
                return e.counter.get();
            }
        }
        return 0;
    }

    private record Entry(String name, OpaqueCounter counter) {
    }

    /** Single-writer counter. */
    static final class OpaqueCounter implements Counter {
        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(OpaqueCounter.class, "value", long.class);
            } catch (final ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private long value;

        @Override
        public void increment() {
            VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + 1);
        }

        @Override
        public void add(final long delta) {
            VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + delta);
        }

        @Override
        public void set(final long v) {
            VALUE.setOpaque(this, v);
        }

        @Override
        public long get() {
            return (long) VALUE.getOpaque(this);
        }
    }
}
