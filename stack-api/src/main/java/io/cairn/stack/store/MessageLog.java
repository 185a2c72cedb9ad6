package io.cairn.stack.store;

import io.cairn.stack.event.Message;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Copies of messages indexed by sequence number, for layers that must keep them (retransmission buffers,
 * hold-back queues). Bytes go into pooled chunks, so a steady stream allocates nothing once the pool has grown;
 * entries may arrive out of order and are trimmed in sequence order ({@link #trimTo}). Single-threaded.
 *
 * <p>Full-size chunks live off the heap and come from a pool shared by every log in the JVM ({@link ChunkPool}):
 * {@link #close} gives them back (a layer's per-view logs are closed by {@link io.cairn.stack.spi.PerViewLayer}
 * when the next view starts and when the stack stops), and a log dropped without closing gives them back when the
 * collector finds it. The first, smaller chunks of the ramp stay on the heap, so an idle log costs little.
 */
public final class MessageLog implements AutoCloseable {
    private static final int NONE = -1;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /** The log's off-heap chunks, given back to the pool once: by {@link #close} or by the cleaner. */
    private static final class Owned implements Runnable {
        final List<java.nio.ByteBuffer> chunks = new ArrayList<>();

        @Override
        public void run() {
            for (final java.nio.ByteBuffer b : chunks) {
                ChunkPool.give(b);
            }
            chunks.clear();
        }
    }

    /** Off-heap chunks given back at close (a view log); null: every chunk on the heap. */
    private final Owned owned;
    private final java.lang.ref.Cleaner.Cleanable cleanable;
    private boolean closed;

    /** The first chunk: a log that holds little (an idle sender, one of many peers) never costs a full chunk. */
    static final int FIRST_CHUNK = 4096;

    private final int chunkSize;
    /** Size of the next new chunk: doubles from {@link #FIRST_CHUNK} up to chunkSize as the log fills. */
    private int nextChunk;
    private final List<UnsafeBuffer> chunks = new ArrayList<>();
    private int[] live = new int[8];
    private int[] freeChunks = new int[8];
    private int freeCount;
    private int current = NONE;
    private int position;

    private int[] entryChunk;
    private int[] entryOffset;
    private int[] entryLength;
    private long[] entryOrder;
    private int mask;
    private long base = 1;
    private long highest;
    private int count;
    private long bytes;

    /**
     * A log whose chunks are all on the heap (one that lives as long as its stack, or is dropped without closing).
     *
     * @param chunkSize bytes per storage chunk (messages larger than this get a chunk of their own)
     */
    public MessageLog(final int chunkSize) {
        this(chunkSize, false);
    }

    private MessageLog(final int chunkSize, final boolean pooled) {
        this.chunkSize = chunkSize;
        this.nextChunk = Math.min(chunkSize, FIRST_CHUNK);
        this.owned = pooled ? new Owned() : null;
        this.cleanable = pooled ? CLEANER.register(this, owned) : null;
        resizeIndex(64);
    }

    /**
     * A log whose full-size chunks come from the shared off-heap pool and go back to it at {@link #close}: for state
     * with a known end, such as a view's ({@link io.cairn.stack.spi.PerViewLayer#viewLog}). Dropped without closing,
     * its chunks go back when the collector finds it.
     *
     * @param chunkSize bytes per storage chunk (messages larger than this get a chunk of their own)
     * @return the log
     */
    public static MessageLog pooled(final int chunkSize) {
        return new MessageLog(chunkSize, true);
    }

    private void resizeIndex(final int capacity) {
        final int[] c = new int[capacity];
        final int[] o = new int[capacity];
        final int[] l = new int[capacity];
        final long[] r = new long[capacity];
        java.util.Arrays.fill(l, NONE);
        if (entryLength != null) {
            for (long s = base; s <= highest; s++) {
                final int from = (int) s & mask;
                final int to = (int) s & (capacity - 1);
                c[to] = entryChunk[from];
                o[to] = entryOffset[from];
                l[to] = entryLength[from];
                r[to] = entryOrder[from];
            }
        }
        entryChunk = c;
        entryOffset = o;
        entryLength = l;
        entryOrder = r;
        mask = capacity - 1;
    }

    /**
     * Stores a copy.
     *
     * @param seq    sequence number, {@code >= base}
     * @param src    source buffer
     * @param offset start
     * @param length length
     * @return false when the sequence number is already stored or was trimmed
     */
    public boolean put(final long seq, final DirectBuffer src, final int offset, final int length) {
        if (closed) {
            throw new IllegalStateException("message log used after close (its chunks may hold another log's data)");
        }
        if (seq < base || contains(seq)) {
            return false;
        }
        while (seq - base >= entryLength.length) {
            resizeIndex(entryLength.length * 2);
        }
        final int chunk = reserve(length);
        final UnsafeBuffer b = chunks.get(chunk);
        final int at = chunk == current ? position : 0;
        b.putBytes(at, src, offset, length);
        if (chunk == current) {
            position += length;
        }
        final int i = (int) seq & mask;
        entryChunk[i] = chunk;
        entryOffset[i] = at;
        entryLength[i] = length;
        entryOrder[i] = 0;
        live[chunk]++;
        highest = Math.max(highest, seq);
        count++;
        bytes += length;
        return true;
    }

    /**
     * Stores a copy of a delivery with what travels beside its bytes: its total-order number ({@link Message#order()}),
     * which {@link #replay} restores. A layer that holds deliveries here need not keep it itself.
     *
     * @param seq sequence number, {@code >= base}
     * @param m   the message (the whole frame is stored)
     * @return false when the sequence number is already stored or was trimmed
     */
    public boolean put(final long seq, final Message m) {
        if (!put(seq, m.buffer(), m.offset(), m.length())) {
            return false;
        }
        entryOrder[(int) seq & mask] = m.order();
        return true;
    }

    /**
     * Wraps a stored delivery for delivering it again, with its total-order number.
     *
     * @param seq           a stored sequence number
     * @param into          the flyweight to wrap
     * @param payloadOffset the payload's offset in the frame (the stack's headroom)
     * @return {@code into}
     */
    public Message replay(final long seq, final Message into, final int payloadOffset) {
        final int i = (int) seq & mask;
        return into.wrap(chunks.get(entryChunk[i]), entryOffset[i], entryLength[i], payloadOffset)
            .order(entryOrder[i]);
    }

    private int reserve(final int length) {
        if (length > chunkSize) {
            return addChunk(length);
        }
        if (current == NONE || position + length > chunks.get(current).capacity()) {
            final int previous = current;
            current = freeCount > 0 ? freeChunks[--freeCount] : addChunk(grow(length));
            position = 0;
            if (previous != NONE && live[previous] == 0) {
                free(previous);
            }
        }
        return current;
    }

    /** @return the size of a new pooled chunk that holds {@code length}: the ramp's next step */
    private int grow(final int length) {
        while (nextChunk < length) {
            nextChunk = Math.min(chunkSize, nextChunk * 2);
        }
        final int size = nextChunk;
        nextChunk = Math.min(chunkSize, nextChunk * 2);
        return size;
    }

    private int addChunk(final int size) {
        final java.nio.ByteBuffer b = owned != null && size == chunkSize ? ChunkPool.take(size) : null;
        if (b != null) {
            owned.chunks.add(b);
            chunks.add(new UnsafeBuffer(b));
        } else {
            chunks.add(new UnsafeBuffer(new byte[size]));
        }
        if (chunks.size() > live.length) {
            live = java.util.Arrays.copyOf(live, live.length * 2);
        }
        live[chunks.size() - 1] = 0;
        return chunks.size() - 1;
    }

    private void free(final int chunk) {
        if (chunks.get(chunk).capacity() != chunkSize) {
            // A chunk made for one large message, or a small one of the ramp, is dropped, not pooled.
            chunks.set(chunk, new UnsafeBuffer(new byte[0]));
            return;
        }
        if (freeCount == freeChunks.length) {
            freeChunks = java.util.Arrays.copyOf(freeChunks, freeChunks.length * 2);
        }
        freeChunks[freeCount++] = chunk;
    }

    /**
     * @param seq sequence number
     * @return whether it is stored
     */
    public boolean contains(final long seq) {
        return seq >= base && seq - base < entryLength.length && seq <= highest
            && entryLength[(int) seq & mask] != NONE;
    }

    /**
     * @param seq sequence number
     * @return stored length, or -1
     */
    public int length(final long seq) {
        return contains(seq) ? entryLength[(int) seq & mask] : NONE;
    }

    /**
     * Copies a stored message out.
     *
     * @param seq    sequence number
     * @param dst    destination
     * @param offset where
     * @return its length, or -1 when not stored
     */
    public int copy(final long seq, final MutableDirectBuffer dst, final int offset) {
        if (!contains(seq)) {
            return NONE;
        }
        final int i = (int) seq & mask;
        dst.putBytes(offset, chunks.get(entryChunk[i]), entryOffset[i], entryLength[i]);
        return entryLength[i];
    }

    /**
     * @param seq sequence number (must be stored)
     * @return the buffer holding it (valid until the next put or trim)
     */
    public MutableDirectBuffer buffer(final long seq) {
        return chunks.get(entryChunk[(int) seq & mask]);
    }

    /**
     * @param seq sequence number (must be stored)
     * @return its offset in {@link #buffer(long)}
     */
    public int offset(final long seq) {
        return entryOffset[(int) seq & mask];
    }

    /**
     * Drops every entry with a sequence number up to and including {@code seq}; later puts below it are refused.
     *
     * @param seq last sequence number to drop
     */
    public void trimTo(final long seq) {
        while (base <= seq) {
            if (base <= highest) {
                final int i = (int) base & mask;
                if (entryLength[i] != NONE) {
                    release(i);
                }
            }
            base++;
        }
    }

    /**
     * Removes one entry. Removing the lowest one moves the base past it (and past any gap after it), so a log
     * whose entries are removed roughly in order keeps a bounded index; puts below the base are then refused.
     *
     * @param seq sequence number
     */
    public void remove(final long seq) {
        if (contains(seq)) {
            release((int) seq & mask);
            if (seq == base) {
                while (base <= highest && entryLength[(int) base & mask] == NONE) {
                    base++;
                }
            }
        }
    }

    private void release(final int i) {
        final int c = entryChunk[i];
        bytes -= entryLength[i];
        count--;
        entryLength[i] = NONE;
        if (--live[c] == 0 && c != current) {
            free(c);
        }
    }

    /** Drops everything and restarts at sequence number 1 (a new view). */
    public void clear() {
        trimTo(highest);
        base = 1;
        highest = 0;
    }

    /**
     * Drops everything and gives the off-heap chunks back to the pool, for other logs to reuse. The log holds nothing
     * afterwards and refuses to store ({@link IllegalStateException}); buffers it handed out ({@link #buffer},
     * {@link #replay}) must no longer be read.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        clear();
        closed = true;
        chunks.clear();
        freeCount = 0;
        current = NONE;
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    /** @return bytes of off-heap chunks that closed logs gave back and no log has taken yet (JVM-wide) */
    public static long pooledBytes() {
        return ChunkPool.pooledBytes();
    }

    /** @return number of stored messages */
    public int count() {
        return count;
    }

    /** @return stored bytes */
    public long bytes() {
        return bytes;
    }

    /** @return the lowest sequence number that may still be stored */
    public long base() {
        return base;
    }

    /** @return the highest sequence number ever stored since the last clear */
    public long highest() {
        return highest;
    }
}
