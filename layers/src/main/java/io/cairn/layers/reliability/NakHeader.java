package io.cairn.layers.reliability;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The NAK layer's header in every data multicast. Little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            sequence number in the view (64), 0 = unsequenced  |
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |   origin rank in the view     |  flags (bit 0: retransmission)|
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
final class NakHeader {
    static final int SEQ_OFFSET = 0;
    static final int ORIGIN_OFFSET = 8;
    static final int FLAGS_OFFSET = 10;
    static final int LENGTH = 12;
    static final int FLAG_RETRANSMISSION = 1;

    private MutableDirectBuffer buffer;
    private int offset;

    NakHeader wrap(final MutableDirectBuffer b, final int o) {
        this.buffer = b;
        this.offset = o;
        return this;
    }

    long seq() {
        return buffer.getLong(offset + SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    int origin() {
        return buffer.getShort(offset + ORIGIN_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    NakHeader write(final long seq, final int origin, final int flags) {
        buffer.putLong(offset + SEQ_OFFSET, seq, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + ORIGIN_OFFSET, (short) origin, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    NakHeader flags(final int flags) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
        return this;
    }
}
