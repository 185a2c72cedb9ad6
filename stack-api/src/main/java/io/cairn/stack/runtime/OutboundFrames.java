package io.cairn.stack.runtime;

import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.FrameSeal;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.wire.FrameHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The sending end of a stack: finishes frame headers (flags, view tag, length) and hands frames to the
 * transport; also owns the rotating scratch frames that layers originate messages in.
 */
final class OutboundFrames {
    private static final int SCRATCH = 16;
    private static final int FIRST_SCRATCH = 512;
    private final int maxFrameLength;
    private static final ByteOrder LE = FrameHeader.ORDER;

    private final TransportChannel channel;
    private final int groupId;
    private final long selfKey;
    private final int headroom;
    private final Counter framesOut;
    private final Counter txDropped;
    private final Counter txAfterExit;
    private final Message[] scratch = new Message[SCRATCH];
    private final UnsafeBuffer[] buffers = new UnsafeBuffer[SCRATCH];
    private final FrameHeader header = new FrameHeader();
    private int next;
    private long viewTag;
    /** Seals every frame on its way out, or null; sealed frames are written to {@link #sealed}. */
    private final FrameSeal seal;
    private final UnsafeBuffer sealed;
    /** The member is out of the group: nothing more leaves it (see {@link #silence}). */
    private boolean silenced;

    OutboundFrames(final TransportChannel channel, final int groupId, final long selfKey, final int headroom,
                   final int maxFrameLength, final StatsRegistry stats, final FrameSeal seal,
                   final int transportMaxFrameLength) {
        this.channel = channel;
        this.groupId = groupId;
        this.selfKey = selfKey;
        this.headroom = headroom;
        this.framesOut = stats.counter("stack.frames_out");
        this.txDropped = stats.counter("stack.tx_dropped");
        this.txAfterExit = stats.counter("stack.tx_after_exit");
        this.maxFrameLength = maxFrameLength;
        this.seal = seal;
        this.sealed = seal != null ? new UnsafeBuffer(ByteBuffer.allocateDirect(transportMaxFrameLength)) : null;
        for (int i = 0; i < SCRATCH; i++) {
            // Small until a layer originates something bigger: an idle group (one of a thousand) stays small.
            buffers[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.min(maxFrameLength, FIRST_SCRATCH)));
            scratch[i] = new Message();
        }
    }

    TransportChannel channel() {
        return channel;
    }

    void viewTag(final long tag) {
        this.viewTag = tag;
    }

    long viewTag() {
        return viewTag;
    }

    /** Writes a fresh header for a data frame whose payload is already in place after the headroom. */
    void writeDataHeader(final MutableDirectBuffer b, final int offset, final int length, final int flags) {
        header.wrap(b, offset).write(flags, groupId, selfKey, viewTag, length, 0);
        b.setMemory(offset + FrameHeader.LENGTH, headroom - FrameHeader.LENGTH, (byte) 0);
    }

    /**
     * The stack exited the group: from now on it sends nothing. A member that exited but whose stack still ran
     * kept answering heartbeats, so the others never suspected it while their flush waited for its report.
     */
    void silence() {
        silenced = true;
    }

    void cast(final Message m) {
        if (silenced) {
            txAfterExit.increment();
            return;
        }
        final int flags = m.buffer().getByte(m.offset() + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_CONTROL;
        finish(m, flags);
        if (seal != null && m.length() > maxFrameLength) {
            // Too long to seal into the largest frame: refused like the transport refuses an oversized frame.
            count(false);
        } else if (seal != null) {
            count(channel.multicast(sealed, 0, seal.seal(m.buffer(), m.offset(), m.length(), 0, sealed)));
        } else {
            count(channel.multicast(m.buffer(), m.offset(), m.length()));
        }
    }

    void send(final Message m, final long destination) {
        if (silenced) {
            txAfterExit.increment();
            return;
        }
        final int flags = m.buffer().getByte(m.offset() + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_CONTROL;
        finish(m, flags | FrameHeader.FLAG_UNICAST);
        if (seal != null && m.length() > maxFrameLength) {
            count(false);
        } else if (seal != null) {
            final int n = seal.seal(m.buffer(), m.offset(), m.length(), destination, sealed);
            count(channel.unicast(destination, sealed, 0, n));
        } else {
            count(channel.unicast(destination, m.buffer(), m.offset(), m.length()));
        }
    }

    private void count(final boolean accepted) {
        if (accepted) {
            framesOut.increment();
        } else {
            txDropped.increment();
        }
    }

    private void finish(final Message m, final int flags) {
        final MutableDirectBuffer b = m.buffer();
        final int o = m.offset();
        b.putByte(o + FrameHeader.FLAGS_OFFSET, (byte) flags);
        b.putLong(o + FrameHeader.VIEW_TAG_OFFSET, viewTag, LE);
        b.putInt(o + FrameHeader.FRAME_LENGTH_OFFSET, m.length(), LE);
    }

    Message allocate(final int payloadLength) {
        // A data frame may be lengthened by the layer up to the largest frame (fragmentation does).
        final Message m = nextScratch(headroom + payloadLength, headroom, maxFrameLength);
        writeDataHeader(m.buffer(), 0, m.length(), 0);
        return m;
    }

    Message allocateControl(final int layerId, final int bodyLength) {
        final Message m = nextScratch(FrameHeader.LENGTH + bodyLength, FrameHeader.LENGTH, 0);
        header.wrap(m.buffer(), 0).write(FrameHeader.FLAG_CONTROL, groupId, selfKey, viewTag, m.length(), layerId);
        return m;
    }

    private Message nextScratch(final int length, final int payloadOffset, final int capacity) {
        final int i = next++ & (SCRATCH - 1);
        if (buffers[i].capacity() < Math.max(length, capacity)) {
            // Straight to the largest frame, so a slot grows once, not with every bigger message.
            buffers[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(length, maxFrameLength)));
        }
        return scratch[i].wrap(buffers[i], 0, length, payloadOffset);
    }
}
