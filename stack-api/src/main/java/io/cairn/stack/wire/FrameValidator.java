package io.cairn.stack.wire;

import org.agrona.DirectBuffer;

/**
 * Structural validation of an incoming frame, before anything reads a layer header or allocates. It never throws:
 * it returns a {@link Reject} reason, or {@code null} when the frame is well formed.
 */
public final class FrameValidator {
    private FrameValidator() {
    }

    /** Why a frame was rejected; the names match the trace's {@code reject} reasons where one exists. */
    public enum Reject {
        /** Shorter than a frame header, bad magic, unknown version or inconsistent length. */
        DECODE,
        /** Longer than the configured maximum. */
        OVERSIZE,
        /** Another group's frame. */
        WRONG_GROUP,
        /** Data frame too short for the header slots it reaches, or control frame for an unknown layer. */
        MALFORMED,
        /** Sender not in the current view. */
        NONMEMBER,
        /** Frame of a view older than the current one. */
        STALE_VIEW,
        /** Frame of a view newer than the current one (recovered by retransmission once installed). */
        FUTURE_VIEW,
        /** Frame of another view with the current epoch: another partition's coordinator installed it. */
        OTHER_VIEW,
        /** A plain frame at a stack that seals: sent by a process without the group's encryption. */
        UNSEALED,
        /** A sealed frame that failed to open: forged, corrupted or sealed with another key. */
        FORGED,
        /** An authentic sealed frame received before (or older than the replay window): replayed. */
        REPLAY,
        /** An authentic sealed frame of a sender session not yet verified live (see {@code FrameSeal#UNVERIFIED}). */
        UNVERIFIED,
        /** A sealed frame under a view key this member does not hold (not yet, or not any more). */
        NO_KEY
    }

    /**
     * Checks the fixed header.
     *
     * @param buffer         the frame's buffer
     * @param offset         frame start
     * @param length         bytes available for this frame
     * @param maxFrameLength configured maximum frame length
     * @param groupId        the receiving stack's group id
     * @param headroom       minimum length of a data frame (up to the end of the lowest layer's header slot)
     * @return null when well formed, else the reason
     */
    public static Reject check(
        final DirectBuffer buffer, final int offset, final int length, final int maxFrameLength, final int groupId,
        final int headroom) {
        if (length < FrameHeader.LENGTH) {
            return Reject.DECODE;
        }
        if (length > maxFrameLength) {
            return Reject.OVERSIZE;
        }
        if (buffer.getShort(offset + FrameHeader.MAGIC_OFFSET, FrameHeader.ORDER) != FrameHeader.MAGIC
            || buffer.getByte(offset + FrameHeader.VERSION_OFFSET) != FrameHeader.VERSION) {
            return Reject.DECODE;
        }
        if (buffer.getInt(offset + FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.ORDER) != length) {
            return Reject.DECODE;
        }
        if (buffer.getInt(offset + FrameHeader.GROUP_OFFSET, FrameHeader.ORDER) != groupId) {
            return Reject.WRONG_GROUP;
        }
        final int flags = buffer.getByte(offset + FrameHeader.FLAGS_OFFSET) & 0xFF;
        if ((flags & ~(FrameHeader.FLAG_CONTROL | FrameHeader.FLAG_UNICAST)) != 0) {
            return Reject.DECODE;
        }
        final boolean control = (flags & FrameHeader.FLAG_CONTROL) != 0;
        final int layerId = buffer.getShort(offset + FrameHeader.LAYER_ID_OFFSET, FrameHeader.ORDER) & 0xFFFF;
        if (control ? layerId == 0 : (layerId != 0 || length < headroom)) {
            return Reject.MALFORMED;
        }
        return null;
    }

    /**
     * The member a transport should route unicasts to over the link a frame came from: the sealer of a sealed frame
     * (a forwarded message keeps its original sender in the header, but the member that sealed it sent it), the
     * sender of a plain one. Unauthenticated, like everything a transport reads.
     *
     * @param buffer  the frame's buffer
     * @param offset  frame start
     * @param length  the frame's length
     * @param groupId the group it is for
     * @return the member key, or 0 when the frame is not well formed
     */
    public static long linkPeer(final DirectBuffer buffer, final int offset, final int length, final int groupId) {
        if (length < FrameHeader.LENGTH) {
            return 0;
        }
        if ((buffer.getByte(offset + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_SEALED) != 0) {
            return length >= FrameHeader.SEALER_OFFSET + 8
                && checkSealed(buffer, offset, length, Integer.MAX_VALUE, groupId) == null
                ? buffer.getLong(offset + FrameHeader.SEALER_OFFSET, FrameHeader.ORDER) : 0;
        }
        return check(buffer, offset, length, Integer.MAX_VALUE, groupId, FrameHeader.LENGTH) == null
            ? buffer.getLong(offset + FrameHeader.SENDER_OFFSET, FrameHeader.ORDER) : 0;
    }

    /**
     * Checks what can be checked of a sealed frame before opening it: the clear header's magic, version, length,
     * group and flags.
     *
     * @param buffer         the frame's buffer
     * @param offset         frame start
     * @param length         bytes available for this frame
     * @param maxFrameLength the transport's maximum frame length
     * @param groupId        the receiving stack's group id
     * @return null when it may be opened, else the reason ({@link Reject#UNSEALED} for a plain frame)
     */
    public static Reject checkSealed(
        final DirectBuffer buffer, final int offset, final int length, final int maxFrameLength, final int groupId) {
        if (length < FrameHeader.LENGTH) {
            return Reject.DECODE;
        }
        if (length > maxFrameLength) {
            return Reject.OVERSIZE;
        }
        if (buffer.getShort(offset + FrameHeader.MAGIC_OFFSET, FrameHeader.ORDER) != FrameHeader.MAGIC
            || buffer.getByte(offset + FrameHeader.VERSION_OFFSET) != FrameHeader.VERSION
            || buffer.getInt(offset + FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.ORDER) != length) {
            return Reject.DECODE;
        }
        if (buffer.getInt(offset + FrameHeader.GROUP_OFFSET, FrameHeader.ORDER) != groupId) {
            return Reject.WRONG_GROUP;
        }
        return (buffer.getByte(offset + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_SEALED) == 0
            ? Reject.UNSEALED : null;
    }
}
