package io.cairn.layers.stability;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The stability gossip control frame: what one member has delivered from each member of the view. Little-endian.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                       view tag (64)                           |
 *  +-------------------------------+---------------+---------------+
 *  |   member count n (16)         | flags (8)     | n x delivered |
 *  +-------------------------------+---------------+ count (64) ...|
 * </pre>
 * Flag bit 0: the sender is still waiting for stability, so members that have gone quiet answer.
 */
final class StabilityGossip {
    static final int VIEW_TAG_OFFSET = 0;
    static final int COUNT_OFFSET = 8;
    static final int FLAGS_OFFSET = 10;
    static final int VECTOR_OFFSET = 11;
    static final int FLAG_WAITING = 1;

    private StabilityGossip() {
    }

    static int length(final int n) {
        return VECTOR_OFFSET + 8 * n;
    }

    static boolean validate(final DirectBuffer b, final int o, final int length, final int expectedN) {
        return length >= VECTOR_OFFSET && (b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF) == expectedN
            && length == length(expectedN);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + VIEW_TAG_OFFSET, FrameHeader.ORDER);
    }

    static long get(final DirectBuffer b, final int o, final int i) {
        return b.getLong(o + VECTOR_OFFSET + 8 * i, FrameHeader.ORDER);
    }

    static boolean waiting(final DirectBuffer b, final int o) {
        return (b.getByte(o + FLAGS_OFFSET) & FLAG_WAITING) != 0;
    }

    static void write(final MutableDirectBuffer b, final int o, final long viewTag, final long[] vector) {
        write(b, o, viewTag, vector, false);
    }

    static void write(final MutableDirectBuffer b, final int o, final long viewTag, final long[] vector,
                      final boolean waiting) {
        b.putLong(o + VIEW_TAG_OFFSET, viewTag, FrameHeader.ORDER);
        b.putByte(o + FLAGS_OFFSET, (byte) (waiting ? FLAG_WAITING : 0));
        b.putShort(o + COUNT_OFFSET, (short) vector.length, FrameHeader.ORDER);
        for (int i = 0; i < vector.length; i++) {
            b.putLong(o + VECTOR_OFFSET + 8 * i, vector[i], FrameHeader.ORDER);
        }
    }
}
