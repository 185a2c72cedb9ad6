package io.cairn.layers.reliability;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The NAK layer's control frames. Little-endian. Every length is validated by {@link #validate} before a field
 * is read.
 *
 * <pre>
 *  +---------------+-----------------------------------------------+
 *  |  type (8)     |  1 = NAK, 2 = HIGHEST                         |
 *  +---------------+---------------+-------------------------------+
 *  |                      view tag (64)                            |
 *  +-------------------------------+-------------------------------+
 *  |  origin rank (16)             |  range count n (16)           |   NAK: n (from, to) pairs follow
 *  +-------------------------------+-------------------------------+   HIGHEST: n = 0, then one seq
 *  |  n x [from (64), to (64)] or [highest (64)]                   |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class NakControl {
    static final byte NAK = 1;
    static final byte HIGHEST = 2;
    static final int TYPE_OFFSET = 0;
    static final int VIEW_TAG_OFFSET = 1;
    static final int ORIGIN_OFFSET = 9;
    static final int COUNT_OFFSET = 11;
    static final int BODY_OFFSET = 13;
    static final int HIGHEST_LENGTH = BODY_OFFSET + 8;

    private NakControl() {
    }

    static int nakLength(final int ranges) {
        return BODY_OFFSET + ranges * 16;
    }

    /** @return true when the body is a well-formed NAK or HIGHEST with at most {@code maxRanges} ranges */
    static boolean validate(final DirectBuffer b, final int o, final int length, final int maxRanges) {
        if (length < BODY_OFFSET) {
            return false;
        }
        final byte type = b.getByte(o + TYPE_OFFSET);
        final int count = b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF;
        if (type == NAK) {
            return count >= 1 && count <= maxRanges && length == nakLength(count);
        }
        return type == HIGHEST && count == 0 && length == HIGHEST_LENGTH;
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o + TYPE_OFFSET);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + VIEW_TAG_OFFSET, FrameHeader.ORDER);
    }

    static int origin(final DirectBuffer b, final int o) {
        return b.getShort(o + ORIGIN_OFFSET, FrameHeader.ORDER) & 0xFFFF;
    }

    static int count(final DirectBuffer b, final int o) {
        return b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF;
    }

    static long from(final DirectBuffer b, final int o, final int range) {
        return b.getLong(o + BODY_OFFSET + range * 16, FrameHeader.ORDER);
    }

    static long to(final DirectBuffer b, final int o, final int range) {
        return b.getLong(o + BODY_OFFSET + range * 16 + 8, FrameHeader.ORDER);
    }

    static long highest(final DirectBuffer b, final int o) {
        return b.getLong(o + BODY_OFFSET, FrameHeader.ORDER);
    }

    static void writeNak(final MutableDirectBuffer b, final int o, final long viewTag, final int origin,
                         final long[] ranges, final int count) {
        b.putByte(o + TYPE_OFFSET, NAK);
        b.putLong(o + VIEW_TAG_OFFSET, viewTag, FrameHeader.ORDER);
        b.putShort(o + ORIGIN_OFFSET, (short) origin, FrameHeader.ORDER);
        b.putShort(o + COUNT_OFFSET, (short) count, FrameHeader.ORDER);
        for (int i = 0; i < count; i++) {
            b.putLong(o + BODY_OFFSET + i * 16, ranges[2 * i], FrameHeader.ORDER);
            b.putLong(o + BODY_OFFSET + i * 16 + 8, ranges[2 * i + 1], FrameHeader.ORDER);
        }
    }

    static void writeHighest(final MutableDirectBuffer b, final int o, final long viewTag, final int origin,
                             final long highest) {
        b.putByte(o + TYPE_OFFSET, HIGHEST);
        b.putLong(o + VIEW_TAG_OFFSET, viewTag, FrameHeader.ORDER);
        b.putShort(o + ORIGIN_OFFSET, (short) origin, FrameHeader.ORDER);
        b.putShort(o + COUNT_OFFSET, (short) 0, FrameHeader.ORDER);
        b.putLong(o + BODY_OFFSET, highest, FrameHeader.ORDER);
    }
}
