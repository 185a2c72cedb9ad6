package io.cairn.layers.pt2pt;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The pt2pt header in every point-to-point send, and its ACK control frame. Little-endian.
 *
 * <pre>
 *  data header (8 bytes)                       ACK control body (16 bytes)
 *  +----------------------------------+        +----------------------------------+
 *  | seq to this destination (64),    |        | view tag (64)                    |
 *  | 0 = not a pt2pt send (multicast) |        | cumulative ack: all <= this (64) |
 *  +----------------------------------+        +----------------------------------+
 * </pre>
 */
final class Pt2ptHeader {
    static final int LENGTH = 8;
    static final int ACK_LENGTH = 16;

    private Pt2ptHeader() {
    }

    static long seq(final DirectBuffer b, final int o) {
        return b.getLong(o, FrameHeader.ORDER);
    }

    static void seq(final MutableDirectBuffer b, final int o, final long seq) {
        b.putLong(o, seq, FrameHeader.ORDER);
    }

    static void writeAck(final MutableDirectBuffer b, final int o, final long viewTag, final long acked) {
        b.putLong(o, viewTag, FrameHeader.ORDER);
        b.putLong(o + 8, acked, FrameHeader.ORDER);
    }

    static long ackViewTag(final DirectBuffer b, final int o) {
        return b.getLong(o, FrameHeader.ORDER);
    }

    static long acked(final DirectBuffer b, final int o) {
        return b.getLong(o + 8, FrameHeader.ORDER);
    }
}
