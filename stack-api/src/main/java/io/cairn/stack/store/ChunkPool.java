package io.cairn.stack.store;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The full-size storage chunks of every {@link MessageLog} in the JVM, off the heap and reused. A retransmission
 * buffer holds what is not yet stable, tens of megabytes under load, and lives for a view: on the heap its chunks
 * were copied by every young collection while they were new, which on two cores paused the stacks for 20-70 ms
 * (and then the backlog of the pause grew the store again). Off the heap nothing is copied; a log gives its chunks
 * back when it is closed (the next view, the stack's stop) or, failing that, when the collector finds it
 * unreachable, and the next log takes them. Chunks are never freed explicitly, so a stale view of one cannot read
 * freed memory; beyond {@link #MAX_POOLED_BYTES} a returned chunk is left to the collector. Thread-safe: taken and
 * given only when a log grows or closes, never per message.
 */
final class ChunkPool {
    /** Bytes kept for reuse across all sizes; more are dropped (their memory goes with the next collection). */
    static final long MAX_POOLED_BYTES = 64L << 20;

    private static final Map<Integer, ArrayDeque<ByteBuffer>> FREE = new HashMap<>();
    private static long pooledBytes;

    private ChunkPool() {
    }

    /**
     * @return a chunk of {@code size} bytes, reused or new (contents undefined); null when direct memory is
     *     exhausted (the caller then uses the heap: a store must not fail for where its bytes live)
     */
    static ByteBuffer take(final int size) {
        synchronized (FREE) {
            final ArrayDeque<ByteBuffer> q = FREE.get(size);
            final ByteBuffer b = q == null ? null : q.pollLast();
            if (b != null) {
                pooledBytes -= size;
                return b;
            }
        }
        try {
            return ByteBuffer.allocateDirect(size);
        } catch (final OutOfMemoryError e) {
            return null;
        }
    }

    /** Takes a chunk back (it must no longer be read or written by whoever gave it). */
    static void give(final ByteBuffer b) {
        synchronized (FREE) {
            if (pooledBytes + b.capacity() <= MAX_POOLED_BYTES) {
                FREE.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).addLast(b);
                pooledBytes += b.capacity();
            }
        }
    }

    /** @return bytes held for reuse now (for tests and gauges) */
    static long pooledBytes() {
        synchronized (FREE) {
            return pooledBytes;
        }
    }
}
