package io.cairn.stack.runtime;

import io.cairn.stack.event.UpEvent;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.FrameReceiver;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What other threads hand to a stack: frames from transports (inbound ring), casts and sends from the
 * application (command ring, with the headroom reserved so layers write headers in place), and rare events or
 * tasks (a bounded MPSC queue). Every offer is non-blocking; the stack's thread drains them in its duty cycle.
 */
final class StackInputs implements FrameReceiver {
    /** Command ring record: a cast; the payload starts at the headroom. */
    static final int CMD_CAST = 1;
    /** Command ring record: a send; the destination key is parked in the sender field until the header is written. */
    static final int CMD_SEND = 2;
    /** Command ring record: the answer to a {@code Blocked}, behind every cast offered before it was raised. */
    static final int CMD_BLOCK_OK = 3;
    /** Command ring record: the application saw a view (8 bytes: its epoch), behind every cast offered before. */
    static final int CMD_VIEW_OK = 4;
    private static final int MSG_FRAME = 1;

    private final ManyToOneRingBuffer inbound;
    private final ManyToOneRingBuffer commands;
    private final MpscArrayQueue<Object> events = new MpscArrayQueue<>(1024);
    private final int headroom;
    private final Counter rxDropped;
    private final Counter oversize;

    StackInputs(final int inboundBytes, final int commandBytes, final int headroom, final Counter rxDropped,
                final Counter oversize) {
        this.inbound = new ManyToOneRingBuffer(ring(inboundBytes));
        this.commands = new ManyToOneRingBuffer(ring(commandBytes));
        this.headroom = headroom;
        this.rxDropped = rxDropped;
        this.oversize = oversize;
    }

    private static UnsafeBuffer ring(final int bytes) {
        if (Integer.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + bytes);
        }
        return new UnsafeBuffer(ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH));
    }

    @Override
    public boolean onFrame(final DirectBuffer buffer, final int offset, final int length) {
        if (length <= 0 || length > inbound.maxMsgLength()) {
            oversize.increment();
            return true;
        }
        if (!inbound.write(MSG_FRAME, buffer, offset, length)) {
            rxDropped.increment();
            return false;
        }
        return true;
    }

    @Override
    public boolean hasRoom() {
        return inbound.size() < inbound.capacity() / 2;
    }

    boolean offerCast(final DirectBuffer src, final int offset, final int length) {
        final int index = commands.tryClaim(CMD_CAST, headroom + length);
        if (index < 0) {
            return false;
        }
        commands.buffer().putBytes(index + headroom, src, offset, length);
        commands.commit(index);
        return true;
    }

    boolean offerSend(final long destination, final DirectBuffer src, final int offset, final int length) {
        final int index = commands.tryClaim(CMD_SEND, headroom + length);
        if (index < 0) {
            return false;
        }
        commands.buffer().putLong(index + io.cairn.stack.wire.FrameHeader.SENDER_OFFSET, destination,
            ByteOrder.LITTLE_ENDIAN);
        commands.buffer().putBytes(index + headroom, src, offset, length);
        commands.commit(index);
        return true;
    }

    boolean offerBlockOk() {
        final int index = commands.tryClaim(CMD_BLOCK_OK, headroom);
        if (index < 0) {
            return false;
        }
        commands.commit(index);
        return true;
    }

    boolean offerViewOk(final long epoch) {
        final int index = commands.tryClaim(CMD_VIEW_OK, Long.BYTES);
        if (index < 0) {
            return false;
        }
        commands.buffer().putLong(index, epoch, ByteOrder.LITTLE_ENDIAN);
        commands.commit(index);
        return true;
    }

    boolean offerEvent(final Object eventOrTask) {
        return events.offer(eventOrTask);
    }

    int maxCommandPayload() {
        return commands.maxMsgLength() - headroom;
    }

    int readFrames(final MessageHandler handler, final int limit) {
        return inbound.read(handler, limit);
    }

    int readCommands(final org.agrona.concurrent.ControlledMessageHandler handler, final int limit) {
        return commands.controlledRead(handler, limit);
    }

    Object pollEvent() {
        return events.poll();
    }
}
