package io.cairn.layers.total;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The sequencer layer's header and ORDER body. Little-endian.
 *
 * <pre>
 *  header (4 bytes)               ORDER payload (after the headroom)
 *  +-----------+-----------+      +------------------------------------------+
 *  | kind (8)  | reserved  |      | first gseq of the batch (64)             |
 *  | 1 = DATA  | (24)      |      | count n (16)                             |
 *  | 2 = ORDER |           |      | n x [sender rank (16), k-th cast (64)]    |
 *  +-----------+-----------+      +------------------------------------------+
 * </pre>
 * A cast is named by its sender's rank in the view and its position among that sender's casts in the view.
 */
final class TotalHeader {
    static final int LENGTH = 4;
    static final byte DATA = 1;
    static final byte ORDER = 2;
    static final int BASE_OFFSET = 0;
    static final int COUNT_OFFSET = 8;
    static final int ENTRIES_OFFSET = 10;
    static final int ENTRY_LENGTH = 10;

    private TotalHeader() {
    }

    static byte kind(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static void kind(final MutableDirectBuffer b, final int o, final byte kind) {
        b.putByte(o, kind);
    }

    static int orderLength(final int n) {
        return ENTRIES_OFFSET + n * ENTRY_LENGTH;
    }

    static boolean validOrder(final DirectBuffer b, final int o, final int length) {
        return length >= ENTRIES_OFFSET
            && length == orderLength(b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF);
    }

    static long base(final DirectBuffer b, final int o) {
        return b.getLong(o + BASE_OFFSET, FrameHeader.ORDER);
    }

    static int count(final DirectBuffer b, final int o) {
        return b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF;
    }

    static int rank(final DirectBuffer b, final int o, final int i) {
        return b.getShort(o + ENTRIES_OFFSET + i * ENTRY_LENGTH, FrameHeader.ORDER) & 0xFFFF;
    }

    static long k(final DirectBuffer b, final int o, final int i) {
        return b.getLong(o + ENTRIES_OFFSET + i * ENTRY_LENGTH + 2, FrameHeader.ORDER);
    }

    static void writeOrder(final MutableDirectBuffer b, final int o, final long base, final int[] ranks,
                           final long[] ks, final int n) {
        b.putLong(o + BASE_OFFSET, base, FrameHeader.ORDER);
        b.putShort(o + COUNT_OFFSET, (short) n, FrameHeader.ORDER);
        for (int i = 0; i < n; i++) {
            b.putShort(o + ENTRIES_OFFSET + i * ENTRY_LENGTH, (short) ranks[i], FrameHeader.ORDER);
            b.putLong(o + ENTRIES_OFFSET + i * ENTRY_LENGTH + 2, ks[i], FrameHeader.ORDER);
        }
    }
}
