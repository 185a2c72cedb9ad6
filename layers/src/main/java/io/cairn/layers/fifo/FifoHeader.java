package io.cairn.layers.fifo;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.MutableDirectBuffer;

/**
 * The FIFO layer's header: the sender's multicast number in the view. Little-endian.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |          per-sender sequence number in the view (64)          |
 *  |                    0 = not ordered (sends)                    |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class FifoHeader {
    static final int LENGTH = 8;

    private FifoHeader() {
    }

    static long seq(final MutableDirectBuffer b, final int o) {
        return b.getLong(o, FrameHeader.ORDER);
    }

    static void seq(final MutableDirectBuffer b, final int o, final long seq) {
        b.putLong(o, seq, FrameHeader.ORDER);
    }
}
