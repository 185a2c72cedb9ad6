package io.cairn.layers.causal;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The causal layer's header and trailer. Little-endian.
 *
 * <pre>
 *  header (4 bytes)                 trailer (the last 8 x n bytes of the frame)
 *  +------------------+----------+  +---------------------------------------------+
 *  | n entries (16)   | reserved |  | n x [count (48) | rank (16)] as one long    |
 *  +------------------+----------+  +---------------------------------------------+
 * </pre>
 * An entry says: "before this cast, its sender had delivered {@code count} casts of {@code rank} in this view".
 * Only entries that changed since the sender's previous cast are sent; the receiver needs no more because the
 * casts of one sender arrive in FIFO order and a delivered count never goes back.
 */
final class CausalHeader {
    static final int LENGTH = 4;
    static final int ENTRY = 8;
    static final long MAX_COUNT = (1L << 48) - 1;

    private CausalHeader() {
    }

    static int entries(final DirectBuffer b, final int headerAt) {
        return b.getShort(headerAt, FrameHeader.ORDER) & 0xFFFF;
    }

    static void entries(final MutableDirectBuffer b, final int headerAt, final int n) {
        b.putShort(headerAt, (short) n, FrameHeader.ORDER);
    }

    static long entry(final DirectBuffer b, final int trailerAt, final int i) {
        return b.getLong(trailerAt + i * ENTRY, FrameHeader.ORDER);
    }

    static void entry(final MutableDirectBuffer b, final int trailerAt, final int i, final int rank, final long count) {
        b.putLong(trailerAt + i * ENTRY, count << 16 | rank, FrameHeader.ORDER);
    }

    static int rank(final long entry) {
        return (int) (entry & 0xFFFF);
    }

    static long count(final long entry) {
        return entry >>> 16;
    }
}
