package io.cairn.stack.runtime;

import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A many-to-one ring that starts small and grows (by four, up to its largest size) when a producer finds it full,
 * a message does not fit, or it is more than half full when asked for room, so an idle group costs kilobytes and a
 * busy one gets the configured size within its first milliseconds of load.
 *
 * <p>Growing: whoever finds it too small (a producer, or the consumer's own thread sending to itself) makes a
 * bigger ring current, under a lock, and retries there; producers that had entered the old ring finish there. Each
 * ring counts the producers inside it; a producer enters by incrementing that count and checking that the ring is
 * still current (and leaves it otherwise), so once the consumer, after the swap, sees the old ring's count at zero
 * and the ring empty, nothing more can arrive in it. The consumer drains replaced rings, oldest first, before
 * reading the current one, so each producer's messages keep their order, and nothing is dropped for a ring that
 * was merely small.
 */
final class GrowableRing {
    /** A ring and the producers inside it. */
    static final class Ring {
        final ManyToOneRingBuffer buffer;
        final AtomicInteger active = new AtomicInteger();
        private final ByteBuffer memory;

        Ring(final int capacity) {
            memory = ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH);
            buffer = new ManyToOneRingBuffer(new UnsafeBuffer(memory));
        }

        /** Returns the memory now: a retired ring's (several MiB) must not wait for a GC, which it would provoke. */
        void free() {
            org.agrona.BufferUtil.free(memory);
        }

        int capacity() {
            return buffer.capacity();
        }
    }

    private final int maxCapacity;
    private volatile Ring current;
    /** Rings replaced by bigger ones and not yet drained, oldest first (added under the lock, polled by the consumer). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Ring> draining =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * @param initialCapacity first size (power of two)
     * @param maxCapacity     largest size (power of two, at least the first)
     */
    GrowableRing(final int initialCapacity, final int maxCapacity) {
        if (Integer.bitCount(initialCapacity) != 1 || Integer.bitCount(maxCapacity) != 1
            || initialCapacity > maxCapacity) {
            throw new IllegalArgumentException("ring capacities must be powers of two, first <= largest: "
                + initialCapacity + ", " + maxCapacity);
        }
        this.maxCapacity = maxCapacity;
        this.current = new Ring(initialCapacity);
    }

    /** @return the largest message the ring can ever take */
    int maxMsgLength() {
        return maxCapacity / 8;
    }

    /** @return the largest size it grows to */
    int maxCapacity() {
        return maxCapacity;
    }

    /** @return the current ring's capacity */
    int capacity() {
        return current.capacity();
    }

    /** @return bytes in the current ring (consumer: it frees retired rings, so the one read here stays valid) */
    int size() {
        return current.buffer.size();
    }

    /**
     * Enters the current ring; the caller writes to it and then calls {@link #leave}.
     *
     * @return the ring
     */
    Ring enter() {
        for (;;) {
            final Ring r = current;
            r.active.incrementAndGet();
            if (r == current) {
                return r;
            }
            r.active.decrementAndGet();
        }
    }

    /** @param r the ring {@link #enter} returned */
    void leave(final Ring r) {
        r.active.decrementAndGet();
    }

    /**
     * A write of {@code length} bytes did not fit in {@code r}: grows the ring unless it is at its largest or
     * another thread grew it meanwhile.
     *
     * @param r      the ring it did not fit in (left already)
     * @param length the message's length
     * @return whether to try again (a bigger ring is current); false when the ring is at its largest and full
     */
    boolean full(final Ring r, final int length) {
        if (r.capacity() >= maxCapacity && r == current) {
            return false; // at its largest: no lock to find that out
        }
        return grow(r, Math.max(length, 1));
    }

    /** @return whether the current ring is at most half full; a fuller one grows if it can */
    boolean hasRoom() {
        // Entered like a write: a ring is freed once retired, and this reads its memory.
        final Ring r = enter();
        final boolean room;
        try {
            room = r.buffer.size() < r.capacity() / 2;
        } finally {
            leave(r);
        }
        return room || r.capacity() < maxCapacity && grow(r, 1);
    }

    /**
     * Consumer: reads messages, draining rings replaced by bigger ones first.
     *
     * @param handler the handler
     * @param limit   most messages
     * @return messages read
     */
    int read(final MessageHandler handler, final int limit) {
        // Current first: a swap after this read finds the replaced ring already queued (queued before the swap).
        final Ring now = current;
        final Ring old = oldest(now);
        return (old != null ? old : now).buffer.read(handler, limit);
    }

    /** Consumer: whether a message may be waiting (cheap; only the consumer frees rings, so no entering). */
    boolean mayHaveMessages() {
        return !draining.isEmpty() || current.buffer.size() > 0;
    }

    /**
     * Consumer: controlled read, draining replaced rings first.
     *
     * @param handler the handler
     * @param limit   most messages
     * @return messages read
     */
    int controlledRead(final ControlledMessageHandler handler, final int limit) {
        final Ring now = current;
        final Ring old = oldest(now);
        return (old != null ? old : now).buffer.controlledRead(handler, limit);
    }

    /**
     * @param now the ring the caller read as current, which it may read next: never retired (and freed) here
     * @return the oldest replaced ring that may still hold or receive messages, or null
     */
    private Ring oldest(final Ring now) {
        for (Ring old = draining.peek(); old != null; old = draining.peek()) {
            // Queued before the swap is published: while it is still current, producers may still enter it. Once it
            // is not, no producer inside and nothing left means nothing can arrive any more (class comment).
            if (old == now || old == current || old.active.get() != 0 || old.buffer.size() != 0) {
                return old;
            }
            draining.poll();
            old.free();
        }
        return null;
    }

    /** Makes current a ring that holds a message of {@code length} with room to spare, unless one already is. */
    private synchronized boolean grow(final Ring seen, final int length) {
        final Ring now = current;
        if (now != seen) {
            return true; // grown by another thread meanwhile: try there
        }
        if (now.capacity() >= maxCapacity) {
            return false;
        }
        int capacity = now.capacity() * 4;
        while (capacity < maxCapacity && capacity / 8 < length) {
            capacity *= 2;
        }
        draining.add(now);
        current = new Ring(Math.min(capacity, maxCapacity));
        return true;
    }
}
