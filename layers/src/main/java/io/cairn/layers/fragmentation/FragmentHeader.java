package io.cairn.layers.fragmentation;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The fragmentation layer's header. Little-endian. A frame with count 1 is a whole message.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |             message id, per sender and view (32)              |
 *  +---------------------------------------------------------------+
 *  |           offset of this fragment in the message (32)         |
 *  +---------------------------------------------------------------+
 *  |                  total message length (32)                    |
 *  +-------------------------------+-------------------------------+
 *  |     fragment index (16)       |      fragment count (16)      |
 *  +-------------------------------+-------------------------------+
 * </pre>
 * "Message" here is everything above this layer: the headers of the layers above and the payload.
 */
final class FragmentHeader {
    static final int ID_OFFSET = 0;
    static final int FRAGMENT_OFFSET = 4;
    static final int TOTAL_OFFSET = 8;
    static final int INDEX_OFFSET = 12;
    static final int COUNT_OFFSET = 14;
    static final int LENGTH = 16;

    private FragmentHeader() {
    }

    static void write(final MutableDirectBuffer b, final int o, final int id, final int offset, final int total,
                      final int index, final int count) {
        b.putInt(o + ID_OFFSET, id, FrameHeader.ORDER);
        b.putInt(o + FRAGMENT_OFFSET, offset, FrameHeader.ORDER);
        b.putInt(o + TOTAL_OFFSET, total, FrameHeader.ORDER);
        b.putShort(o + INDEX_OFFSET, (short) index, FrameHeader.ORDER);
        b.putShort(o + COUNT_OFFSET, (short) count, FrameHeader.ORDER);
    }

    static int id(final DirectBuffer b, final int o) {
        return b.getInt(o + ID_OFFSET, FrameHeader.ORDER);
    }

    static int offset(final DirectBuffer b, final int o) {
        return b.getInt(o + FRAGMENT_OFFSET, FrameHeader.ORDER);
    }

    static int total(final DirectBuffer b, final int o) {
        return b.getInt(o + TOTAL_OFFSET, FrameHeader.ORDER);
    }

    static int index(final DirectBuffer b, final int o) {
        return b.getShort(o + INDEX_OFFSET, FrameHeader.ORDER) & 0xFFFF;
    }

    static int count(final DirectBuffer b, final int o) {
        return b.getShort(o + COUNT_OFFSET, FrameHeader.ORDER) & 0xFFFF;
    }
}
