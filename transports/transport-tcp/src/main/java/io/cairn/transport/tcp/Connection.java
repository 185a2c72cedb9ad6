package io.cairn.transport.tcp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection to a peer node: a bounded queue of frames written by stack threads and drained into the
 * socket by the I/O thread, and the reading side that reassembles the stream into frames. The stream starts with
 * a HELLO from each side (magic, node key, listen port); then frames back to back, each delimited by the length
 * field of its header.
 */
final class Connection {
    static final int HELLO_LENGTH = 16;
    static final int HELLO_MAGIC = 0xCA1E7C90;

    final SocketChannel channel;
    /** The initial member this connection was opened to, or null when accepted. */
    final InetSocketAddress dialled;
    /** Frames queued by stacks; made at the peer's HELLO ({@link #open}), so a dial that fails costs no queue. */
    private ManyToOneRingBuffer queue;
    private final int queueCapacity;
    final ByteBuffer in;
    final UnsafeBuffer inView;
    final ByteBuffer out;
    private final UnsafeBuffer outView;
    private int filled;
    /** Copies queued frames into the output buffer until the next one does not fit (it stays queued). */
    private final ControlledMessageHandler gather = this::gatherFrame;
    /** The connection's TLS, or null without. */
    final TlsSession tls;
    long peerKey;
    boolean helloReceived;
    /** A stack refused a frame of this connection: reading waits until it is taken. */
    boolean stalled;
    boolean closed;

    Connection(final SocketChannel channel, final InetSocketAddress dialled, final int queueBytes, final int maxFrame) {
        this(channel, dialled, queueBytes, maxFrame, null);
    }

    /**
     * @param tls the connection's TLS engine, or null without TLS
     */
    Connection(final SocketChannel channel, final InetSocketAddress dialled, final int queueBytes, final int maxFrame,
               final SSLEngine tls) {
        this.channel = channel;
        this.dialled = dialled;
        this.queueCapacity = queueBytes;
        this.tls = tls == null ? null : new TlsSession(tls);
        // With TLS a whole record is unwrapped at once: beside a partial frame there must be room for one.
        final int inBytes = Math.max(maxFrame, HELLO_LENGTH) * 2;
        this.in = ByteBuffer.allocateDirect(tls == null ? inBytes
            : Math.max(inBytes, maxFrame + 2 * TlsSession.applicationBufferSize(tls))).order(ByteOrder.LITTLE_ENDIAN);
        this.inView = new UnsafeBuffer(in);
        this.out = ByteBuffer.allocateDirect(Math.max(maxFrame, 64 * 1024) * 2);
        this.outView = new UnsafeBuffer(out);
        out.flip();
    }

    /** The peer said HELLO: the send queue is made (I/O loop, before the connection is published to stacks). */
    void open() {
        if (queue == null) {
            queue = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
                queueCapacity + RingBufferDescriptor.TRAILER_LENGTH)));
        }
    }

    /** Queues a frame (any stack thread). @return false when the queue is full */
    boolean offer(final DirectBuffer b, final int offset, final int length) {
        return !closed && queue.write(1, b, offset, length);
    }

    /** @return whether the queue is less than half full */
    boolean hasRoom() {
        return queue.size() < queueCapacity / 2;
    }

    private ControlledMessageHandler.Action gatherFrame(final int type, final org.agrona.MutableDirectBuffer buffer,
                                                        final int index, final int length) {
        if (filled + length > out.capacity()) {
            return ControlledMessageHandler.Action.ABORT;
        }
        outView.putBytes(filled, buffer, index, length);
        filled += length;
        return ControlledMessageHandler.Action.CONTINUE;
    }

    static void writeHello(final ByteBuffer b, final long key, final int port) {
        b.putInt(HELLO_MAGIC).putInt(port).putLong(key);
    }

    /**
     * Moves queued frames into the socket (I/O thread).
     *
     * @return true when everything was written; false when the socket is full (wait for OP_WRITE)
     * @throws IOException when the connection broke
     */
    boolean drain() throws IOException {
        if (tls != null) {
            return drainTls();
        }
        while (true) {
            if (out.hasRemaining()) {
                channel.write(out);
                if (out.hasRemaining()) {
                    return false;
                }
            }
            out.clear();
            filled = 0;
            if (queue != null) {
                queue.controlledRead(gather, Integer.MAX_VALUE);
            }
            out.limit(filled);
            if (filled == 0) {
                return true;
            }
        }
    }

    /** As {@link #drain}, through the TLS engine: frames are wrapped into records as the record buffer allows. */
    private boolean drainTls() throws IOException {
        if (!tls.flush(channel)) {
            return false;
        }
        if (!tls.handshakeDone()) {
            return true;
        }
        while (true) {
            if (out.hasRemaining()) {
                final SSLEngineResult.Status s = tls.wrap(out);
                if (s == SSLEngineResult.Status.CLOSED) {
                    throw new IOException("TLS closed");
                }
                if (!tls.flush(channel)) {
                    return false;
                }
                continue;
            }
            out.clear();
            filled = 0;
            if (queue != null) {
                queue.controlledRead(gather, Integer.MAX_VALUE);
            }
            out.limit(filled);
            if (filled == 0) {
                return tls.flush(channel);
            }
        }
    }

    /**
     * Puts this node's HELLO first in line for a TLS connection: it goes out as the first application data, once
     * the handshake is done.
     */
    void queueHello(final ByteBuffer hello) {
        out.clear();
        out.put(hello);
        out.flip();
    }

    /** @return whether frames are waiting to be written */
    boolean pending() {
        return out.hasRemaining() || queue != null && queue.size() > 0 || tls != null && tls.outputPending();
    }

    void close() {
        closed = true;
        if (tls != null) {
            // Best effort: tell the peer (close_notify, or the alert of a failed handshake) before closing.
            tls.closeOutbound();
            try {
                tls.flush(channel);
            } catch (final IOException ignored) {
                // already broken
            }
        }
        try {
            channel.close();
        } catch (final IOException ignored) {
            // already broken
        }
    }
}
