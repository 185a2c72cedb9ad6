package io.cairn.layers.relay;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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
        return b.getLong(o + 1, FrameHeader.ORDER);
    }

    static int origin(final DirectBuffer b, final int o) {
        return b.getShort(o + 9, FrameHeader.ORDER) & 0xFFFF;
    }

    static long from(final DirectBuffer b, final int o) {
        return b.getLong(o + 11, FrameHeader.ORDER);
    }

    static long to(final DirectBuffer b, final int o) {
        return b.getLong(o + 19, FrameHeader.ORDER);
    }

    static void write(final MutableDirectBuffer b, final int o, final byte type, final long viewTag, final int origin,
                      final long from, final long to) {
        b.putByte(o, type);
        b.putLong(o + 1, viewTag, FrameHeader.ORDER);
        b.putShort(o + 9, (short) origin, FrameHeader.ORDER);
        b.putLong(o + 11, from, FrameHeader.ORDER);
        b.putLong(o + 19, to, FrameHeader.ORDER);
    }
}
