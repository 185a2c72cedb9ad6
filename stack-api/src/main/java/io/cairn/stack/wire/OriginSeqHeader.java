package io.cairn.stack.wire;

import io.cairn.api.View;
import io.cairn.stack.event.Message;
import org.agrona.MutableDirectBuffer;

import static io.cairn.stack.wire.FrameHeader.ORDER;

/**
 * A layer header shared by the layers that number multicasts per sender and hand copies between members
 * ({@code nak-reliability}, {@code relay}): each still has its own header slot. Static accessors over a buffer and
 * the slot's offset, like every layer header.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            sequence number in the view (64), 0 = unsequenced  |
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |   origin rank in the view     |  flags (bit 0: a copy sent by |
 *  |                               |  a member, not the origin)    |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
public final class OriginSeqHeader {
    /** Header length in bytes. */
    public static final int LENGTH = 12;
    /** The frame is a copy sent point-to-point by a member holding it (retransmission or relay). */
    public static final int FLAG_COPY = 1;
    private static final int ORIGIN_OFFSET = 8;
    private static final int FLAGS_OFFSET = 10;

    private OriginSeqHeader() {
    }

    /**
     * @param b buffer
     * @param o offset of the header slot
     * @return the sequence number (0 = unsequenced)
     */
    public static long seq(final MutableDirectBuffer b, final int o) {
        return b.getLong(o, ORDER);
    }

    /**
     * @param b buffer
     * @param o offset of the header slot
     * @return the origin's rank in the view
     */
    public static int origin(final MutableDirectBuffer b, final int o) {
        return b.getShort(o + ORIGIN_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param b buffer
     * @param o offset of the header slot
     * @return the flags
     */
    public static int flags(final MutableDirectBuffer b, final int o) {
        return b.getShort(o + FLAGS_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param b     buffer
     * @param o     offset of the header slot
     * @param seq   sequence number
     * @param origin origin rank
     * @param flags flags
     */
    public static void write(final MutableDirectBuffer b, final int o, final long seq, final int origin,
                             final int flags) {
        b.putLong(o, seq, ORDER);
        b.putShort(o + ORIGIN_OFFSET, (short) origin, ORDER);
        flags(b, o, flags);
    }

    /**
     * @param b     buffer
     * @param o     offset of the header slot
     * @param flags flags
     */
    public static void flags(final MutableDirectBuffer b, final int o, final int flags) {
        b.putShort(o + FLAGS_OFFSET, (short) flags, ORDER);
    }

    /**
     * @param b buffer
     * @param o offset of the header slot
     * @return whether the frame is a copy from a member holding it rather than from its origin
     */
    public static boolean isCopy(final MutableDirectBuffer b, final int o) {
        return (flags(b, o) & FLAG_COPY) != 0;
    }

    /**
     * Checks a sequenced multicast of {@code view} and names its origin. A copy (sent point-to-point by whoever held
     * it) becomes the origin's multicast again: flag cleared, sender the origin.
     *
     * @param m    the frame
     * @param o    offset of the header slot in {@code m}'s buffer
     * @param view the view it was sent in
     * @return the origin's rank, or -1 if the frame is malformed: no such rank, a negative sequence number, or an
     *     original not sent by its origin
     */
    public static int resolveOrigin(final Message m, final int o, final View view) {
        final MutableDirectBuffer b = m.buffer();
        final int origin = origin(b, o);
        if (origin >= view.size() || seq(b, o) < 0) {
            return -1;
        }
        final long originKey = view.members().get(origin).key();
        if (isCopy(b, o)) {
            flags(b, o, 0);
            m.unicast(false);
            m.sender(originKey);
            return origin;
        }
        return m.sender() == originKey ? origin : -1;
    }
}
