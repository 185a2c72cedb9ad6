package io.cairn.testkit;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/** Hand-made bad input for transport and decoder tests. */
public final class HostileFrames {
    private HostileFrames() {
    }

    /**
     * A frame header (magic, version, a made-up sender) with the given group and length field, at the start of
     * {@code size} zero bytes: with a length field that lies about the size it is malformed framing; with an
     * honest one it is well framed but not a valid stack frame (no layer headers).
     *
     * @param groupId     group id to claim
     * @param lengthField value of the frame-length field
     * @param size        bytes in the result
     * @return the bytes
     */
    public static byte[] header(final int groupId, final int lengthField, final int size) {
        final byte[] b = new byte[size];
        final UnsafeBuffer u = new UnsafeBuffer(b);
        u.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC, ByteOrder.LITTLE_ENDIAN);
        u.putByte(FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        u.putInt(FrameHeader.GROUP_OFFSET, groupId, ByteOrder.LITTLE_ENDIAN);
        u.putLong(FrameHeader.SENDER_OFFSET, 424242L, ByteOrder.LITTLE_ENDIAN);
        u.putInt(FrameHeader.FRAME_LENGTH_OFFSET, lengthField, ByteOrder.LITTLE_ENDIAN);
        return b;
    }
}
