package io.cairn.layers.fragmentation;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** One message being reassembled: its frame prefix, the fragments received so far, and when it started. */
final class Reassembly {
    final long sender;
    final int id;
    final int count;
    final int total;
    final long startedNs;
    final UnsafeBuffer frame;
    private final long[] received;
    private int receivedCount;
    boolean prefixCopied;

    Reassembly(final long sender, final int id, final int count, final int total, final int prefix,
               final long startedNs) {
        this.sender = sender;
        this.id = id;
        this.count = count;
        this.total = total;
        this.startedNs = startedNs;
        this.frame = new UnsafeBuffer(new byte[prefix + total]);
        this.received = new long[(count + 63) / 64];
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
