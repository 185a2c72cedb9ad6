package io.cairn.stack.wire;

import io.cairn.stack.event.Message;
import io.cairn.api.View;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A layer header shared by the layers that number multicasts per sender and hand copies between members
 * ({@code nak-reliability}, {@code relay}): each still has its own header slot. Little-endian.
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

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * @param b buffer
     * @param o offset of the header slot
     * @return this
     */
    public OriginSeqHeader wrap(final MutableDirectBuffer b, final int o) {
        this.buffer = b;
        this.offset = o;
        return this;
    }

    /** @return the sequence number (0 = unsequenced) */
    public long seq() {
        return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the origin's rank in the view */
    public int origin() {
        return buffer.getShort(offset + ORIGIN_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return the flags */
    public int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * @param seq    sequence number
     * @param origin origin rank
     * @param flags  flags
     * @return this
     */
    public OriginSeqHeader write(final long seq, final int origin, final int flags) {
        buffer.putLong(offset, seq, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + ORIGIN_OFFSET, (short) origin, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    /**
     * @param flags flags
     * @return this
     */
    public OriginSeqHeader flags(final int flags) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    /** @return whether the frame is a copy from a member holding it rather than from its origin */
    public boolean isCopy() {
        return (flags() & FLAG_COPY) != 0;
    }

    /**
     * Checks a sequenced multicast of {@code view} that this flyweight wraps and names its origin. A copy (sent
     * point-to-point by whoever held it) becomes the origin's multicast again: flag cleared, sender the origin.
     *
     * @param m    the frame
     * @param view the view it was sent in
     * @return the origin's rank, or -1 if the frame is malformed: no such rank, a negative sequence number, or an
     *     original not sent by its origin
     */
    public int resolveOrigin(final Message m, final View view) {
        final int origin = origin();
        if (origin >= view.size() || seq() < 0) {
            return -1;
        }
        final long originKey = view.members().get(origin).key();
        if (isCopy()) {
            flags(0);
            m.unicast(false);
            m.sender(originKey);
            return origin;
        }
        return m.sender() == originKey ? origin : -1;
    }
}
