package io.cairn.stack.event;

import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.ViewTag;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one frame travelling through a stack: the frame header, the fixed per-layer header slots and the
 * payload, contiguous in one buffer. A layer reaches its own header at {@code offset() + ctx.headerOffset()}.
 *
 * <p>A message is valid only during the handler call that received it. A layer that must keep it (retransmission,
 * hold-back) copies the bytes into its own store. Instances are reused by the runtime; never keep a reference.
 */
public final class Message {
    private MutableDirectBuffer buffer;
    private int offset;
    private int length;
    private int payloadOffset;
    private long destination;
    private long order;

    /**
     * Points this flyweight at a frame.
     *
     * @param buffer        the buffer
     * @param offset        frame start
     * @param length        frame length
     * @param payloadOffset payload start, relative to the frame start
     * @return this
     */
    public Message wrap(final MutableDirectBuffer buffer, final int offset, final int length, final int payloadOffset) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.payloadOffset = payloadOffset;
        this.destination = 0;
        this.order = 0;
        return this;
    }

    /** @return the buffer holding the frame */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** @return the frame start in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return the frame length (header, layer headers and payload) */
    public int length() {
        return length;
    }

    /**
     * Changes the frame length, for layers that shrink or grow the payload in place (within the buffer's capacity).
     *
     * @param length the new frame length
     * @return this
     */
    public Message length(final int length) {
        this.length = length;
        return this;
    }

    /** @return absolute offset of the payload in {@link #buffer()} */
    public int payloadOffset() {
        return offset + payloadOffset;
    }

    /** @return payload length in bytes */
    public int payloadLength() {
        return length - payloadOffset;
    }

    /** @return the sender's member key (from the frame header; set by the bottom on the way down) */
    public long sender() {
        return buffer.getLong(offset + FrameHeader.SENDER_OFFSET, FrameHeader.ORDER);
    }

    /**
     * Rewrites the sender in the frame header. Only for layers that relay other members' messages (a reliability
     * layer delivering a copy retransmitted by a third member restores the original sender).
     *
     * @param key the original sender's member key
     * @return this
     */
    public Message sender(final long key) {
        buffer.putLong(offset + FrameHeader.SENDER_OFFSET, key, FrameHeader.ORDER);
        return this;
    }

    /**
     * Sets or clears the unicast flag (a multicast retransmitted point-to-point is delivered as a multicast).
     *
     * @param unicast the flag
     * @return this
     */
    public Message unicast(final boolean unicast) {
        final int flags = buffer.getByte(offset + FrameHeader.FLAGS_OFFSET);
        buffer.putByte(offset + FrameHeader.FLAGS_OFFSET,
            (byte) (unicast ? flags | FrameHeader.FLAG_UNICAST : flags & ~FrameHeader.FLAG_UNICAST));
        return this;
    }

    /** @return the view the frame was sent in ({@link ViewTag}) */
    public long viewTag() {
        return buffer.getLong(offset + FrameHeader.VIEW_TAG_OFFSET, FrameHeader.ORDER);
    }

    /** @return the epoch of the view the frame was sent in */
    public long viewEpoch() {
        return ViewTag.epoch(viewTag());
    }

    /** @return whether the frame was sent point-to-point */
    public boolean isUnicast() {
        return (buffer.getByte(offset + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_UNICAST) != 0;
    }

    /** @return destination member key of a send (down path only) */
    public long destination() {
        return destination;
    }

    /**
     * @param destination destination member key of a send
     * @return this
     */
    public Message destination(final long destination) {
        this.destination = destination;
        return this;
    }

    /** @return the total-order number an ordering layer assigned (0 when none), up path only */
    public long order() {
        return order;
    }

    /**
     * Set by a total-order layer before delivering: the message's position in the group's total order. It is not
     * part of the frame; a layer above an ordering layer that holds deliveries and delivers them later keeps it by
     * holding them in a {@link io.cairn.stack.store.MessageLog} ({@code put(seq, message)}, {@code replay}), which
     * stores it beside the bytes.
     *
     * @param order global sequence number, from 1
     * @return this
     */
    public Message order(final long order) {
        this.order = order;
        return this;
    }

    @Override
    public String toString() {
        return "Message[len=" + length + " payload=" + payloadLength() + "]";
    }
}
