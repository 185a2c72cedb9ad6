package io.cairn.layers.state;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Control frames of the state transfer. Little-endian.
 *
 * <pre>
 *  CHUNK  1 | view tag (64)   | offset (64) | last (8) | length (16) | bytes   provider to joiner
 *  ACK    2 | view tag (64)   | bytes received in order (64)              joiner to provider
 * </pre>
 */
final class StateControl {
    static final byte CHUNK = 1;
    static final byte ACK = 2;
    static final int VIEW_TAG_OFFSET = 1;
    static final int OFFSET_OFFSET = 9;
    static final int LAST_OFFSET = 17;
    static final int LENGTH_OFFSET = 18;
    static final int DATA_OFFSET = 20;
    static final int ACK_LENGTH = 17;

    private StateControl() {
    }

    static boolean validate(final DirectBuffer b, final int o, final int length) {
        if (length < 1) {
            return false;
        }
        final byte type = b.getByte(o);
        if (type == ACK) {
            return length == ACK_LENGTH;
        }
        return type == CHUNK && length >= DATA_OFFSET
            && (b.getShort(o + LENGTH_OFFSET, FrameHeader.ORDER) & 0xFFFF) == length - DATA_OFFSET;
    }

    static void writeChunk(final MutableDirectBuffer b, final int o, final long viewTag, final long offset,
                           final boolean last, final byte[] data, final int length) {
        b.putByte(o, CHUNK);
        b.putLong(o + VIEW_TAG_OFFSET, viewTag, FrameHeader.ORDER);
        b.putLong(o + OFFSET_OFFSET, offset, FrameHeader.ORDER);
        b.putByte(o + LAST_OFFSET, (byte) (last ? 1 : 0));
        b.putShort(o + LENGTH_OFFSET, (short) length, FrameHeader.ORDER);
        b.putBytes(o + DATA_OFFSET, data, 0, length);
    }

    static void writeAck(final MutableDirectBuffer b, final int o, final long viewTag, final long received) {
        b.putByte(o, ACK);
        b.putLong(o + VIEW_TAG_OFFSET, viewTag, FrameHeader.ORDER);
        b.putLong(o + OFFSET_OFFSET, received, FrameHeader.ORDER);
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + VIEW_TAG_OFFSET, FrameHeader.ORDER);
    }

    static long offset(final DirectBuffer b, final int o) {
        return b.getLong(o + OFFSET_OFFSET, FrameHeader.ORDER);
    }

    static boolean last(final DirectBuffer b, final int o) {
        return b.getByte(o + LAST_OFFSET) != 0;
    }

    static int length(final DirectBuffer b, final int o) {
        return b.getShort(o + LENGTH_OFFSET, FrameHeader.ORDER) & 0xFFFF;
    }
}
