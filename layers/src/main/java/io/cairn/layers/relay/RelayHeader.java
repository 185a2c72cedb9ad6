package io.cairn.layers.relay;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The relay layer's header in every data multicast. Little-endian.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |            sequence number in the view (64), 0 = unsequenced  |
 *  +-------------------------------+-------------------------------+
 *  |   origin rank in the view     |  flags (bit 0: relayed copy)  |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
final class RelayHeader {
    static final int LENGTH = 12;
    static final int FLAG_RELAYED = 1;

    private MutableDirectBuffer buffer;
    private int offset;

    RelayHeader wrap(final MutableDirectBuffer b, final int o) {
        this.buffer = b;
        this.offset = o;
        return this;
    }

    long seq() {
        return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
    }

    int origin() {
        return buffer.getShort(offset + 8, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    int flags() {
        return buffer.getShort(offset + 10, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    void write(final long seq, final int origin, final int flags) {
        buffer.putLong(offset, seq, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + 8, (short) origin, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + 10, (short) flags, ByteOrder.LITTLE_ENDIAN);
    }

    void flags(final int flags) {
        buffer.putShort(offset + 10, (short) flags, ByteOrder.LITTLE_ENDIAN);
    }
}
