package io.cairn.transport.tcp;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * One connection's TLS: its {@link SSLEngine} and the buffers of records between it and the socket. The
 * connection's plaintext buffers stay what they are without TLS ({@code Connection.in} receives unwrapped bytes,
 * {@code Connection.out} is wrapped), so the frame parsing above does not know about TLS. I/O thread only.
 * Delegated tasks (certificate checks) run inline: they are short, and the I/O thread has nothing else to do for
 * this connection meanwhile.
 */
final class TlsSession {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine engine;
    /** Records read from the socket, not yet unwrapped (write mode). */
    private final ByteBuffer netIn;
    /** Records wrapped, not yet written to the socket (write mode). */
    private final ByteBuffer netOut;
    /** The socket is connected and the handshake began (failures from here on are TLS failures). */
    boolean started;
    private boolean handshakeDone;
    /** Unwrapping stopped because the plaintext buffer was full: records wait in {@link #netIn}. */
    boolean blocked;

    TlsSession(final SSLEngine engine) {
        this.engine = engine;
        final int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(packet * 2);
        this.netOut = ByteBuffer.allocateDirect(packet * 4);
    }

    /** @return the plaintext room a record may need when unwrapped */
    static int applicationBufferSize(final SSLEngine e) {
        return e.getSession().getApplicationBufferSize();
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** @return whether wrapped bytes wait for the socket */
    boolean outputPending() {
        return netOut.position() > 0;
    }

    /**
     * Reads what the socket has into the record buffer.
     *
     * @return bytes read, -1 at end of stream
     */
    int read(final SocketChannel ch) throws IOException {
        return ch.read(netIn);
    }

    /** @return true when every wrapped byte is in the socket */
    boolean flush(final SocketChannel ch) throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        ch.write(netOut);
        netOut.compact();
        return netOut.position() == 0;
    }

    /**
     * Drives the handshake as far as the socket allows.
     *
     * @param ch    the socket
     * @param appIn where application data that arrives with the last handshake records goes
     * @return true once the handshake is finished; false while it waits for the socket (more bytes, or room)
     * @throws SSLException when the handshake fails (untrusted certificate, no common protocol)
     */
    boolean handshake(final SocketChannel ch, final ByteBuffer appIn) throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    final SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == Status.BUFFER_OVERFLOW && !flush(ch)) {
                        return false;
                    }
                    if (r.getStatus() == Status.CLOSED && r.bytesProduced() == 0) {
                        throw new SSLException("closed during the handshake");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    final SSLEngineResult r = unwrapOnce(appIn);
                    if (r.getStatus() == Status.CLOSED) {
                        throw new SSLException("the peer closed the connection during the handshake");
                    }
                    if (r.getStatus() != Status.OK) {
                        // Underflow: wait for bytes. Overflow: appIn is full of early data; the caller parses it.
                        flush(ch);
                        return false;
                    }
                }
                default -> {
                    handshakeDone = true;
                    flush(ch);
                    return true;
                }
            }
        }
    }

    /**
     * Unwraps every complete record into {@code appIn}, answering post-handshake messages (key updates) on the way.
     *
     * @return BUFFER_UNDERFLOW when the records are used up, BUFFER_OVERFLOW when appIn is full, CLOSED at the end
     */
    Status unwrap(final ByteBuffer appIn) throws IOException {
        while (true) {
            final SSLEngineResult r = unwrapOnce(appIn);
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY);
            }
            blocked = r.getStatus() == Status.BUFFER_OVERFLOW;
            if (r.getStatus() != Status.OK) {
                return r.getStatus();
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                return Status.BUFFER_UNDERFLOW;     // no progress: wait for the socket rather than spin
            }
        }
    }

    /**
     * Wraps what {@code src} holds (read mode) into records, as far as they fit.
     *
     * @return OK, BUFFER_OVERFLOW when the record buffer is full (flush it first), or CLOSED
     */
    Status wrap(final ByteBuffer src) throws SSLException {
        while (true) {
            final SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (r.getStatus() != Status.OK || r.bytesConsumed() == 0 && r.bytesProduced() == 0
                || !src.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return r.getStatus();
            }
        }
    }

    /** Starts an orderly close: queues the close_notify (or, after a failure, the alert) for a last flush. */
    void closeOutbound() {
        engine.closeOutbound();
        try {
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                && engine.wrap(EMPTY, netOut).getStatus() == Status.OK) {
                // the alert is a record or two
            }
        } catch (final SSLException ignored) {
            // nothing more to say to this peer
        }
    }

    /** @return the serial of the peer's certificate, or null before the handshake */
    BigInteger peerSerial() {
        try {
            final Certificate[] c = engine.getSession().getPeerCertificates();
            return c.length > 0 && c[0] instanceof X509Certificate x ? x.getSerialNumber() : null;
        } catch (final javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** @return the serial of the certificate this side presented, or null */
    BigInteger localSerial() {
        final Certificate[] c = engine.getSession().getLocalCertificates();
        return c != null && c.length > 0 && c[0] instanceof X509Certificate x ? x.getSerialNumber() : null;
    }

    private SSLEngineResult unwrapOnce(final ByteBuffer appIn) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
