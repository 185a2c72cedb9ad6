package io.cairn.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the fixed frame header that starts every Cairn frame. Little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+---------------+---------------+
 *  |         magic 0xCA1E          |   version     |    flags      |  0
 *  +-------------------------------+---------------+---------------+
 *  |                           group id                            |  4
 *  +---------------------------------------------------------------+
 *  |                     sender member key (64)                    |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               view tag: epoch (32), coordinator (32)           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  frame length (incl. header)                  | 24
 *  +-------------------------------+-------------------------------+
 *  |  control layer id (0 = data)  |           reserved            | 28
 *  +-------------------------------+-------------------------------+
 *  |  data frame: per-layer fixed headers at offsets fixed at      | 32
 *  |  assembly, then the payload; control frame: the layer's body  |
 * </pre>
 *
 * Flags: bit 0 control frame (consumed by one layer on the peer, see {@link #layerId()}), bit 1 unicast, bit 2
 * sealed (the rest of the frame belongs to the stack's {@code FrameSeal}, which opens it into a plain frame).
 */
public final class FrameHeader {
    /** Frame magic. */
    public static final short MAGIC = (short) 0xCA1E;
    /**
     * Current wire version. 2: the view field is a {@link ViewTag} and per-view control bodies name their view by
     * tag (1 named views by epoch), so a member of the other version drops every frame as DECODE rather than
     * misreading it.
     */
    public static final byte VERSION = 2;
    /** Flag: control frame for one layer. */
    public static final int FLAG_CONTROL = 1;
    /** Flag: unicast frame. */
    public static final int FLAG_UNICAST = 2;
    /** Flag: sealed frame (authenticated encryption after the frame header); never set on a plain frame. */
    public static final int FLAG_SEALED = 4;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 3;
    /** Offset of the group id. */
    public static final int GROUP_OFFSET = 4;
    /** Offset of the sender key. */
    public static final int SENDER_OFFSET = 8;
    /** Offset of the view tag. */
    public static final int VIEW_TAG_OFFSET = 16;
    /** Offset of the frame length. */
    public static final int FRAME_LENGTH_OFFSET = 24;
    /** Offset of the control layer id. */
    public static final int LAYER_ID_OFFSET = 28;
    /** Length of the frame header. */
    public static final int LENGTH = 32;
    /**
     * Offset, in a sealed frame, of the member key of the member that sealed it: right after the header. Not always
     * the header's sender (a member forwarding another's message seals it itself), and unauthenticated until the
     * frame is opened; transports learn a peer's address from it rather than from the sender.
     */
    public static final int SEALER_OFFSET = LENGTH;

    /** The byte order of every Cairn header: the frame's, each layer's and each control body. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder LE = ORDER;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps a frame.
     *
     * @param buffer the buffer
     * @param offset offset of the frame start
     * @return this
     */
    public FrameHeader wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Writes a complete header.
     *
     * @param flags       flags
     * @param groupId     group id
     * @param sender      sender key
     * @param viewTag     the sender's view ({@link ViewTag})
     * @param frameLength frame length including this header
     * @param layerId     control layer id, 0 for data
     * @return this
     */
    public FrameHeader write(
        final int flags, final int groupId, final long sender, final long viewTag, final int frameLength,
        final int layerId) {
        buffer.putShort(offset + MAGIC_OFFSET, MAGIC, LE);
        buffer.putByte(offset + VERSION_OFFSET, VERSION);
        buffer.putByte(offset + FLAGS_OFFSET, (byte) flags);
        buffer.putInt(offset + GROUP_OFFSET, groupId, LE);
        buffer.putLong(offset + SENDER_OFFSET, sender, LE);
        buffer.putLong(offset + VIEW_TAG_OFFSET, viewTag, LE);
        buffer.putInt(offset + FRAME_LENGTH_OFFSET, frameLength, LE);
        buffer.putShort(offset + LAYER_ID_OFFSET, (short) layerId, LE);
        buffer.putShort(offset + LAYER_ID_OFFSET + 2, (short) 0, LE);
        return this;
    }

    /** @return the magic */
    public short magic() {
        return buffer.getShort(offset + MAGIC_OFFSET, LE);
    }

    /** @return the version */
    public byte version() {
        return buffer.getByte(offset + VERSION_OFFSET);
    }

    /** @return the flags */
    public int flags() {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** @return the group id */
    public int groupId() {
        return buffer.getInt(offset + GROUP_OFFSET, LE);
    }

    /** @return the sender key */
    public long sender() {
        return buffer.getLong(offset + SENDER_OFFSET, LE);
    }

    /** @return the sender's view ({@link ViewTag}) */
    public long viewTag() {
        return buffer.getLong(offset + VIEW_TAG_OFFSET, LE);
    }

    /** @return the epoch of the sender's view */
    public long viewEpoch() {
        return ViewTag.epoch(viewTag());
    }

    /**
     * @param tag the sender's view ({@link ViewTag})
     * @return this
     */
    public FrameHeader viewTag(final long tag) {
        buffer.putLong(offset + VIEW_TAG_OFFSET, tag, LE);
        return this;
    }

    /** @return the frame length */
    public int frameLength() {
        return buffer.getInt(offset + FRAME_LENGTH_OFFSET, LE);
    }

    /** @return the control layer id (unsigned 16 bits), 0 for data frames */
    public int layerId() {
        return buffer.getShort(offset + LAYER_ID_OFFSET, LE) & 0xFFFF;
    }

    /**
     * Reads the group id of a frame in a read-only buffer (transports use it to demultiplex) without wrapping.
     *
     * @param buffer buffer
     * @param offset frame start
     * @return group id
     */
    public static int groupId(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + GROUP_OFFSET, LE);
    }

    /**
     * Hash of a group name used as its wire id (FNV-1a, 32 bits; stable across JVMs).
     *
     * @param groupName group name
     * @return group id
     */
    public static int groupIdOf(final String groupName) {
        int h = 0x811c9dc5;
        for (int i = 0; i < groupName.length(); i++) {
            h ^= groupName.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }
}
