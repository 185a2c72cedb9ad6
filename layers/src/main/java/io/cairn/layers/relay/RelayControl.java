package io.cairn.layers.relay;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The relay layer's control frames: one fixed layout, validated by length and type before use. Little-endian.
 *
 * <pre>
 *  +---------------+-----------------------------------------------+
 *  |  type (8)     |  1 = REQUEST (from..to of origin), 2 = HIGHEST (to = highest sent)
 *  +---------------+-----------------------------------------------+
 *  |  view tag (64)    |  origin rank (16)  |  from (64)  |  to (64)
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class RelayControl {
    static final byte REQUEST = 1;
    static final byte HIGHEST = 2;
    static final int LENGTH = 1 + 8 + 2 + 8 + 8;

    private RelayControl() {
    }

    static boolean validate(final DirectBuffer b, final int o, final int length) {
        if (length != LENGTH) {
            return false;
        }
        final byte type = b.getByte(o);
        return (type == REQUEST || type == HIGHEST) && from(b, o) >= 0 && to(b, o) >= from(b, o);
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + 1, ByteOrder.LITTLE_ENDIAN);
    }

    static int origin(final DirectBuffer b, final int o) {
        return b.getShort(o + 9, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    static long from(final DirectBuffer b, final int o) {
        return b.getLong(o + 11, ByteOrder.LITTLE_ENDIAN);
    }

    static long to(final DirectBuffer b, final int o) {
        return b.getLong(o + 19, ByteOrder.LITTLE_ENDIAN);
    }

    static void write(final MutableDirectBuffer b, final int o, final byte type, final long viewTag, final int origin,
                      final long from, final long to) {
        b.putByte(o, type);
        b.putLong(o + 1, viewTag, ByteOrder.LITTLE_ENDIAN);
        b.putShort(o + 9, (short) origin, ByteOrder.LITTLE_ENDIAN);
        b.putLong(o + 11, from, ByteOrder.LITTLE_ENDIAN);
        b.putLong(o + 19, to, ByteOrder.LITTLE_ENDIAN);
    }
}
