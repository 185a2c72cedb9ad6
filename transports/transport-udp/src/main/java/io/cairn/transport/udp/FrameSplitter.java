package io.cairn.transport.udp;

import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.FrameValidator;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits a received datagram (one or more frames back to back) and hands each frame to the stack of its group.
 * Never throws: a datagram whose frame lengths do not add up is dropped from the first bad frame on and counted;
 * a frame of a group this node does not serve is counted and skipped. Each stack validates its frames fully.
 */
final class FrameSplitter {
    /** Where frames of a group id go; null when none. */
    interface Groups {
        FrameReceiver receiver(int groupId);
    }

    /** Learns where a member's frames come from. */
    interface Learner {
        void learn(long memberKey, int groupId);
    }

    final AtomicLong datagrams = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong unknownGroup = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong waits = new AtomicLong();
    private final long maxWaitNs;

    /** A splitter that waits up to 50 ms for room (the default of {@code full-queue-wait}). */
    FrameSplitter() {
        this(50_000_000L);
    }

    /** @param maxWaitNs how long a frame waits for room in a full inbound queue ({@code full-queue-wait}) */
    FrameSplitter(final long maxWaitNs) {
        this.maxWaitNs = maxWaitNs;
    }

    /**
     * The stack's inbound queue is full: wait for room (bounded) rather than drop at once. Meanwhile the socket's
     * receive buffer holds what arrives, and flow control slows the senders; only a stack that stays full for
     * {@code full-queue-wait} loses the frame (the reliability layer recovers it).
     */
    private boolean retry(final FrameReceiver r, final DirectBuffer b, final int offset, final int length) {
        waits.lazySet(waits.get() + 1);
        final long deadline = System.nanoTime() + maxWaitNs;
        do {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            if (r.onFrame(b, offset, length)) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Counts a datagram read (its one reader at a time calls this). */
    void received() {
        datagrams.lazySet(datagrams.get() + 1);
    }

    /** What to do with a frame whose stack's inbound queue is full. */
    enum Full {
        /** Wait for room, up to {@code full-queue-wait}, then drop it: a transport thread. */
        WAIT,
        /** Stop before it, to hand it over later: the stack's own thread, which must not wait for itself. */
        HOLD,
        /** Drop it and go on. */
        DROP
    }

    /**
     * Hands the frames of a datagram, from {@code from} on, to their groups' stacks.
     *
     * @param b       the datagram
     * @param from    where to start: 0, or where a held frame starts
     * @param length  its length
     * @param groups  group lookup
     * @param learner told the sender of each well-framed frame of a known group
     * @param full    what to do when a stack's inbound queue is full
     * @return where it stopped: {@code length}, or the start of the frame it held
     */
    int split(final DirectBuffer b, final int from, final int length, final Groups groups, final Learner learner,
              final Full full) {
        int offset = from;
        while (offset < length) {
            final int remaining = length - offset;
            if (remaining < FrameHeader.LENGTH
                || b.getShort(offset + FrameHeader.MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != FrameHeader.MAGIC) {
                malformed.lazySet(malformed.get() + 1);
                return length;
            }
            final int frameLength = b.getInt(offset + FrameHeader.FRAME_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (frameLength < FrameHeader.LENGTH || frameLength > remaining) {
                malformed.lazySet(malformed.get() + 1);
                return length;
            }
            final int groupId = b.getInt(offset + FrameHeader.GROUP_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final FrameReceiver r = groups.receiver(groupId);
            if (r == null) {
                unknownGroup.lazySet(unknownGroup.get() + 1);
            } else {
                // Addresses are learnt only from well-formed frames (forged headers need an authentication layer
                // above; the transport cannot tell), from the member that sent, or sealed, the frame.
                // Learnt before the frame is handed over: a stack that answers it at once can reach its sender. A held
                // frame is learnt again when it is offered again, which changes nothing.
                final long peer = FrameValidator.linkPeer(b, offset, frameLength, groupId);
                if (peer != 0) {
                    learner.learn(peer, groupId);
                }
                if (!r.onFrame(b, offset, frameLength)) {
                    if (full == Full.HOLD) {
                        return offset;
                    }
                    if (full == Full.DROP || !retry(r, b, offset, frameLength)) {
                        dropped.lazySet(dropped.get() + 1);
                    }
                }
                frames.lazySet(frames.get() + 1);
            }
            offset += frameLength;
        }
        return length;
    }
}
