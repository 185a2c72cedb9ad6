package io.cairn.api;

import org.agrona.DirectBuffer;

/**
 * A delivered message: a flyweight valid only during {@link GroupListener#onDeliver}. Copy the payload with
 * {@link #payloadBytes()} or {@link #copyPayload} to keep it.
 */
public final class Delivery {
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private long senderKey;
    private MemberId sender;
    private ViewId viewId;
    private long eventNo;
    private boolean unicast;
    private long order;

    Delivery set(final DirectBuffer buffer, final int offset, final int length, final long senderKey,
                 final MemberId sender, final ViewId viewId, final long eventNo, final boolean unicast,
                 final long order) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.senderKey = senderKey;
        this.sender = sender;
        this.viewId = viewId;
        this.eventNo = eventNo;
        this.unicast = unicast;
        this.order = order;
        return this;
    }

    /** @return the sender (null only if it is not in the view the message is delivered in) */
    public MemberId sender() {
        return sender;
    }

    /** @return the sender's wire key */
    public long senderKey() {
        return senderKey;
    }

    /** @return the view the message is delivered in */
    public ViewId viewId() {
        return viewId;
    }

    /** @return the monotonic event number of this upcall */
    public long eventNo() {
        return eventNo;
    }

    /** @return the message's position in the group's total order (stacks with total order), else 0 */
    public long order() {
        return order;
    }

    /** @return whether it was a point-to-point send */
    public boolean isUnicast() {
        return unicast;
    }

    /** @return the buffer holding the payload */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** @return payload start in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return payload length */
    public int length() {
        return length;
    }

    /** @return a copy of the payload */
    public byte[] payloadBytes() {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return out;
    }

    /**
     * Copies the payload into {@code dst}.
     *
     * @param dst       destination
     * @param dstOffset where to start
     */
    public void copyPayload(final byte[] dst, final int dstOffset) {
        buffer.getBytes(offset, dst, dstOffset, length);
    }

    @Override
    public String toString() {
        return "Delivery[#" + eventNo + " from " + sender + " in " + viewId + ", " + length + " B]";
    }
}
