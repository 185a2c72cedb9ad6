package io.cairn.layers.flow;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Control frames of credit-flow (24 bytes, little-endian): kind (8), reserved (56), view tag (64), value (64).
 * GRANT: the receiver lets the sender have cast {@code value} payload bytes in total in this view (cumulative, so
 * a later grant repairs a lost one). REQUEST: a blocked sender asks again; value = bytes it has cast. GRANT_UNI and
 * REQUEST_UNI: the same for point-to-point sends from one member to another.
 */
final class CreditControl {
    static final int LENGTH = 24;
    static final byte GRANT = 1;
    static final byte REQUEST = 2;
    static final byte GRANT_UNI = 3;
    static final byte REQUEST_UNI = 4;

    private CreditControl() {
    }

    static void write(final MutableDirectBuffer b, final int o, final byte kind, final long viewTag, final long value) {
        b.putLong(o, kind, FrameHeader.ORDER);
        b.putLong(o + 8, viewTag, FrameHeader.ORDER);
        b.putLong(o + 16, value, FrameHeader.ORDER);
    }

    static byte kind(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + 8, FrameHeader.ORDER);
    }

    static long value(final DirectBuffer b, final int o) {
        return b.getLong(o + 16, FrameHeader.ORDER);
    }
}
