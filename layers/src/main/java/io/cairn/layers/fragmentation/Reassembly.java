package io.cairn.layers.fragmentation;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One message being reassembled: its frame prefix, the fragments received so far, and when it started. Reused for
 * later messages (the layer pools a few), so its buffer may be larger than the message and hold an earlier one's
 * bytes: {@link #add} accepts only fragments that tile the message exactly, so a complete message has overwritten
 * every byte it delivers.
 */
final class Reassembly {
    long sender;
    int id;
    int count;
    int total;
    long startedNs;
    final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);
    private long[] received = new long[1];
    private int receivedCount;
    /** Length of every fragment but the last, and the distance between their offsets; 0 until one is seen. */
    private int stride;
    boolean prefixCopied;

    /** Starts reassembling a message, reusing this object's buffer when it is large enough. */
    Reassembly reset(final long sender, final int id, final int count, final int total, final int prefix,
                     final long startedNs) {
        this.sender = sender;
        this.id = id;
        this.count = count;
        this.total = total;
        this.startedNs = startedNs;
        if (frame.capacity() < prefix + total) {
            frame.wrap(new byte[prefix + total]);
        }
        final int words = (count + 63) / 64;
        if (received.length < words) {
            received = new long[words];
        } else {
            Arrays.fill(received, 0, words, 0L);
        }
        receivedCount = 0;
        stride = 0;
        prefixCopied = false;
        return this;
    }

    /** @return the bytes this object holds on to while pooled */
    int capacity() {
        return frame.capacity();
    }

    /**
     * Whether a fragment fits the tiling of the message: every fragment but the last is {@code stride} bytes at
     * {@code index * stride}, the last ends at {@code total}. The sender cuts exactly so; anything else is malformed.
     */
    boolean fits(final int index, final int offset, final int length) {
        final boolean last = index == count - 1;
        int s = stride;
        if (s == 0) {
            if (last) {
                if (offset % index != 0) {
                    return false;
                }
                s = offset / index;
            } else {
                s = length;
            }
        }
        final boolean ok = (long) index * s == offset && (last ? offset + length == total && length <= s : length == s);
        if (ok) {
            stride = s;
        }
        return ok;
    }

    /**
     * Copies one fragment in.
     *
     * @return false for a duplicate fragment
     */
    boolean add(final int index, final DirectBuffer src, final int srcOffset, final int at, final int length) {
        final long bit = 1L << (index & 63);
        if ((received[index >>> 6] & bit) != 0) {
            return false;
        }
        received[index >>> 6] |= bit;
        receivedCount++;
        frame.putBytes(at, src, srcOffset, length);
        return true;
    }

    boolean complete() {
        return receivedCount == count;
    }
}
