package io.cairn.stack.runtime;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.FrameReceiver;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.jctools.queues.MpscArrayQueue;

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

    private final GrowableRing inbound;
    private final GrowableRing commands;
    private final MpscArrayQueue<Object> events = new MpscArrayQueue<>(1024);
    private final int headroom;
    private final Counter rxDropped;
    private final Counter oversize;
    /** The stack's name in the log, which says how to avoid a full inbound ring the first time it is found full. */
    private final String role;
    private volatile boolean fullSeen;

    /**
     * Bytes of casts and sends the command ring may hold before offers are refused (would-block). Set once,
     * before the stack runs; unlimited unless the node sets it.
     */
    private int maxQueuedBytes = Integer.MAX_VALUE;

    /** Application threads waiting for room for a cast, and for a send. */
    final RoomSignal castRoom = new RoomSignal();
    final RoomSignal sendRoom = new RoomSignal();

    /** Woken when input arrives from another thread (null in INVOKER mode). */
    private volatile WakeableIdleStrategy waker;

    StackInputs(final int inboundBytes, final int commandBytes, final int initialBytes, final int headroom,
                final Counter rxDropped, final Counter oversize, final String role) {
        // Both rings start at initialBytes (0: at their full size) and grow under load.
        this.inbound = new GrowableRing(first(initialBytes, inboundBytes), inboundBytes);
        this.commands = new GrowableRing(first(initialBytes, commandBytes), commandBytes);
        this.headroom = headroom;
        this.rxDropped = rxDropped;
        this.oversize = oversize;
        this.role = role;
    }

    private static int first(final int initialBytes, final int maxBytes) {
        if (Integer.bitCount(maxBytes) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + maxBytes);
        }
        return initialBytes <= 0 ? maxBytes : Math.min(initialBytes, maxBytes);
    }

    @Override
    public boolean onFrame(final DirectBuffer buffer, final int offset, final int length) {
        if (length <= 0 || length > inbound.maxMsgLength()) {
            oversize.increment();
            return true;
        }
        for (;;) {
            final GrowableRing.Ring r = inbound.enter();
            final boolean written;
            try {
                written = length <= r.buffer.maxMsgLength() && r.buffer.write(MSG_FRAME, buffer, offset, length);
            } finally {
                inbound.leave(r);
            }
            if (written) {
                return woken(true);
            }
            if (!inbound.full(r, length)) {
                rxDropped.increment();
                if (!fullSeen) {
                    // Two receive threads may both get here: a second line in the log is harmless.
                    fullSeen = true;
                    inboundFull();
                }
                return false;
            }
        }
    }

    /** The first time the inbound ring is full (a receive thread): what it costs and the usual cause. */
    private void inboundFull() {
        System.getLogger("io.cairn.stack").log(System.Logger.Level.WARNING, role + ": its inbound queue is full "
            + "(cairn.runtime.inbound-ring-size = " + inbound.maxCapacity() + " bytes): frames arrive faster "
            + "than the stack's thread takes them, so they wait in the transport, which may lose them to be "
            + "retransmitted (stack.rx_queue_full counts this; logged once per stack). If flow control lets the other "
            + "members have more in flight than the queue holds, (members - 1) x credit-flow.max-credits, lower "
            + "max-credits or raise inbound-ring-size.");
    }

    @Override
    public boolean hasRoom() {
        return inbound.hasRoom();
    }

    /**
     * Claims, fills and commits one command record, growing the ring when it is too small.
     *
     * @return false when the ring is full (or does not hold the record yet and is asked to grow)
     */
    private boolean offer(final int type, final int length, final long destination, final DirectBuffer src,
                          final byte[] array, final int offset, final int payloadLength) {
        for (;;) {
            final GrowableRing.Ring r = commands.enter();
            final boolean done;
            try {
                if (type <= CMD_SEND && r.buffer.size() >= maxQueuedBytes) {
                    // Back-pressure before the ring is full: what waits here has no credit yet and only adds
                    // latency (acknowledgements always go in: a flush or a view must not wait behind casts).
                    return false;
                }
                final int index = length <= r.buffer.maxMsgLength() ? r.buffer.tryClaim(type, length) : -1;
                done = index >= 0;
                if (done) {
                    final org.agrona.concurrent.AtomicBuffer b = r.buffer.buffer();
                    try {
                        switch (type) {
                            case CMD_SEND -> {
                                b.putLong(index + io.cairn.stack.wire.FrameHeader.SENDER_OFFSET, destination,
                                    ByteOrder.LITTLE_ENDIAN);
                                copy(b, index + headroom, src, array, offset, payloadLength);
                            }
                            case CMD_CAST -> copy(b, index + headroom, src, array, offset, payloadLength);
                            case CMD_VIEW_OK -> b.putLong(index, destination, ByteOrder.LITTLE_ENDIAN);
                            default -> {
                            }
                        }
                    } catch (final RuntimeException e) {
                        // A claimed record never committed would hold the consumer on this ring for ever.
                        r.buffer.abort(index);
                        throw e;
                    }
                    r.buffer.commit(index);
                }
            } finally {
                commands.leave(r);
            }
            if (done) {
                return woken(true);
            }
            if (!commands.full(r, length)) {
                return false;
            }
        }
    }

    /** The payload comes from {@code src}, or from {@code array} when that is not null (no wrapper allocated). */
    private static void copy(final org.agrona.concurrent.AtomicBuffer b, final int at, final DirectBuffer src,
                             final byte[] array, final int offset, final int length) {
        if (array != null) {
            b.putBytes(at, array, offset, length);
        } else {
            b.putBytes(at, src, offset, length);
        }
    }

    boolean offerCast(final DirectBuffer src, final byte[] array, final int offset, final int length) {
        return offer(CMD_CAST, headroom + length, 0, src, array, offset, length);
    }

    boolean offerSend(final long destination, final DirectBuffer src, final byte[] array, final int offset,
                      final int length) {
        return offer(CMD_SEND, headroom + length, destination, src, array, offset, length);
    }

    boolean offerBlockOk() {
        return offer(CMD_BLOCK_OK, headroom, 0, null, null, 0, 0);
    }

    boolean offerViewOk(final long epoch) {
        return offer(CMD_VIEW_OK, Long.BYTES, epoch, null, null, 0, 0);
    }

    /** Checks that the input is one event of one direction, or a task, before it is queued. */
    boolean offerEvent(final Object eventOrTask) {
        if (eventOrTask instanceof DownEvent && eventOrTask instanceof UpEvent) {
            throw new IllegalArgumentException(eventOrTask.getClass().getName() + " is both a DownEvent and an "
                + "UpEvent: an event has one direction; define one type for each");
        }
        if (!(eventOrTask instanceof DownEvent || eventOrTask instanceof UpEvent || eventOrTask instanceof Runnable)) {
            throw new IllegalArgumentException("not a DownEvent, an UpEvent or a Runnable: " + eventOrTask);
        }
        return woken(events.offer(eventOrTask));
    }

    /** Bounds the casts and sends waiting in the command ring (before the stack runs). */
    void maxQueuedBytes(final int bytes) {
        this.maxQueuedBytes = bytes;
    }

    /** Sets the idle strategy of the thread that runs the stack: every input taken wakes it. */
    void waker(final WakeableIdleStrategy w) {
        this.waker = w;
    }

    private boolean woken(final boolean taken) {
        final WakeableIdleStrategy w = waker;
        if (taken && w != null) {
            w.wake();
        }
        return taken;
    }

    /**
     * Stack's thread, after a duty cycle that did something: once the command ring holds at most half of what it
     * may, announces room to the threads waiting to send, and to those waiting to cast while casts are let through.
     */
    void signalRoom(final boolean castsAccepted) {
        if (commands.size() > Math.min(maxQueuedBytes, commands.capacity()) / 2) {
            return;
        }
        sendRoom.announce();
        if (castsAccepted) {
            castRoom.announce();
        }
    }

    /** The stack stopped: waiters look again (and find the group closed, or a new stack). */
    void signalStopped() {
        sendRoom.announce();
        castRoom.announce();
    }

    int maxCommandPayload() {
        return commands.maxMsgLength() - headroom;
    }

    int readFrames(final MessageHandler handler, final int limit) {
        return inbound.read(handler, limit);
    }

    /** @return whether casts, sends or acknowledgements may be waiting (stack's thread) */
    boolean mayHaveCommands() {
        return commands.mayHaveMessages();
    }

    int readCommands(final org.agrona.concurrent.ControlledMessageHandler handler, final int limit) {
        return commands.controlledRead(handler, limit);
    }

    /** @return the inbound and command rings' current sizes, in bytes */
    long ringBytes() {
        return (long) inbound.capacity() + commands.capacity();
    }

    Object pollEvent() {
        return events.poll();
    }
}
