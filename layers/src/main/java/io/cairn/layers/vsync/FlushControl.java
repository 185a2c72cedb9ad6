package io.cairn.layers.vsync;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Control frames of the flush. Little-endian.
 *
 * <pre>
 *  +---------------+-----------------------------------------------+
 *  |  type (8)     |  1 = FLUSH_OK, 2 = CUT, 3 = DONE               |
 *  +---------------+-----------------------------------------------+
 *  |                        attempt (64)                           |
 *  +---------------------------------------------------------------+
 *  |                       view tag (64)                           |
 *  +-------------------------------+-------------------------------+
 *  |  count n (16), 0 for DONE     |  n x per-rank count (64) ...  |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
final class FlushControl {
    static final byte FLUSH_OK = 1;
    static final byte CUT = 2;
    static final byte DONE = 3;
    static final int ATTEMPT_OFFSET = 1;
    static final int VIEW_TAG_OFFSET = 9;
    static final int COUNT_OFFSET = 17;
    static final int VECTOR_OFFSET = 19;

    private FlushControl() {
    }

    static int length(final int n) {
        return VECTOR_OFFSET + 8 * n;
    }

    static boolean validate(final DirectBuffer b, final int o, final int length, final int n) {
        if (length < VECTOR_OFFSET) {
            return false;
        }
        final byte type = b.getByte(o);
        final int count = b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF;
        if (type == DONE) {
            return count == 0 && length == VECTOR_OFFSET;
        }
        return (type == FLUSH_OK || type == CUT) && count == n && length == length(n);
    }

    static void write(final MutableDirectBuffer b, final int o, final byte type, final long attempt, final long viewTag,
                      final long[] vector) {
        b.putByte(o, type);
        b.putLong(o + ATTEMPT_OFFSET, attempt, FrameHeader.ORDER);
        b.putLong(o + VIEW_TAG_OFFSET, viewTag, FrameHeader.ORDER);
        final int n = vector == null ? 0 : vector.length;
        b.putShort(o + COUNT_OFFSET, (short) n, FrameHeader.ORDER);
        for (int i = 0; i < n; i++) {
            b.putLong(o + VECTOR_OFFSET + 8 * i, vector[i], FrameHeader.ORDER);
        }
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static long attempt(final DirectBuffer b, final int o) {
        return b.getLong(o + ATTEMPT_OFFSET, FrameHeader.ORDER);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + VIEW_TAG_OFFSET, FrameHeader.ORDER);
    }

    static long[] vector(final DirectBuffer b, final int o, final int n) {
        final long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getLong(o + VECTOR_OFFSET + 8 * i, FrameHeader.ORDER);
        }
        return v;
    }
}
