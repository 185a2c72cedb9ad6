package io.cairn.layers.symmetric;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The symmetric-total header. Little-endian.
 *
 * <pre>
 *  +-----------+-----------+-------------------------------+
 *  | kind (8)  | reserved  | Lamport timestamp (64)        |
 *  | 1 DATA    | (24)      |                               |
 *  | 2 NULL    |           |                               |
 *  | 3 BASE    |           |                               |
 *  +-----------+-----------+-------------------------------+
 * </pre>
 * BASE is a NULL from the view's first member whose 8-byte payload is the next total-order number.
 */
final class SymmetricHeader {
    static final int LENGTH = 12;
    static final byte DATA = 1;
    static final byte NULL = 2;
    static final byte BASE = 3;
    private static final int TS_OFFSET = 4;

    private SymmetricHeader() {
    }

    static byte kind(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static long ts(final DirectBuffer b, final int o) {
        return b.getLong(o + TS_OFFSET, FrameHeader.ORDER);
    }

    static void write(final MutableDirectBuffer b, final int o, final byte kind, final long ts) {
        b.putByte(o, kind);
        b.putByte(o + 1, (byte) 0);
        b.putShort(o + 2, (short) 0);
        b.putLong(o + TS_OFFSET, ts, FrameHeader.ORDER);
    }
}
