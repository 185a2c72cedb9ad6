package io.cairn.transport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TLS side of the TCP transport's I/O loop (I/O thread only): starting a connection's handshake, reading and
 * unwrapping records into the connection's buffer for the transport's parser, taking up records left for want of
 * room, and counting and logging failures. The transport keeps the plain path; it calls in here for connections
 * that have a {@link TlsSession}.
 */
final class TlsLinks {
    final AtomicLong handshakes = new AtomicLong();
    final AtomicLong handshakeFailures = new AtomicLong();
    /** Serials of the certificates of the last finished handshake: this node's and the peer's (for tests). */
    volatile java.math.BigInteger localSerial;
    volatile java.math.BigInteger peerSerial;
    /** Failure reasons already logged at WARNING, per peer host: repeats (a peer redialling) go to DEBUG. */
    private final Set<String> warned = new java.util.HashSet<>();
    private final TcpTransport io;
    private final String nodeName;

    TlsLinks(final TcpTransport io, final String nodeName) {
        this.io = io;
        this.nodeName = nodeName;
    }

    /** A TLS connection is open: its HELLO waits for the handshake, which starts now (the client speaks first). */
    void established(final Connection c, final ByteBuffer hello) {
        try {
            c.queueHello(hello);
            c.channel.register(io.selector, SelectionKey.OP_READ, c);
            c.tls.engine.beginHandshake();
            c.tls.started = true;
            pump(c);
        } catch (final IOException | RuntimeException e) {
            io.fail(c, e);
        }
    }

    void read(final Connection c) throws IOException {
        if (c.tls.read(c.channel) < 0) {
            if (!c.tls.handshakeDone()) {
                throw new javax.net.ssl.SSLHandshakeException("the peer closed the connection during the handshake"
                    + " (it may not trust this node's certificate)");
            }
            io.drop(c);
            return;
        }
        pump(c);
    }

    /**
     * Moves a TLS connection on: the handshake while it lasts (then this node's HELLO goes out), afterwards the
     * records read are unwrapped into the connection's buffer and parsed like a plain stream. Unwrapping stops
     * when the buffer is full and the stack stalls; {@link #backlog} takes it up again.
     */
    void pump(final Connection c) throws IOException {
        final TlsSession t = c.tls;
        if (!t.handshakeDone()) {
            if (!t.handshake(c.channel, c.in)) {
                final SelectionKey k = c.channel.keyFor(io.selector);
                if (k != null && k.isValid()) {
                    k.interestOps(SelectionKey.OP_READ | (t.outputPending() ? SelectionKey.OP_WRITE : 0));
                }
                return;
            }
            handshakes.incrementAndGet();
            localSerial = t.localSerial();
            peerSerial = t.peerSerial();
            io.write(c);
        }
        // Bounded, so one busy connection cannot hold the I/O thread: what is left is taken up next cycle.
        for (int i = 0; i < 64 && !c.closed; i++) {
            final javax.net.ssl.SSLEngineResult.Status s = t.unwrap(c.in);
            io.parse(c);
            if (s == javax.net.ssl.SSLEngineResult.Status.CLOSED) {
                io.drop(c);
                return;
            }
            if (s != javax.net.ssl.SSLEngineResult.Status.BUFFER_OVERFLOW || c.stalled) {
                break;
            }
        }
        if (!c.closed && t.outputPending()) {
            io.write(c);       // answers to post-handshake messages (key updates)
        }
    }

    /**
     * @return whether a TLS connection still has records it could not unwrap for want of room (select without
     *         waiting): those whose stack has taken the frames that filled the buffer are moved on now
     */
    boolean backlog(final List<Connection> connections) {
        boolean more = false;
        for (int i = 0; i < connections.size(); i++) {
            final Connection c = connections.get(i);
            if (c.tls != null && c.tls.blocked && !c.stalled && !c.closed) {
                try {
                    pump(c);
                } catch (final IOException | RuntimeException e) {
                    io.fail(c, e);
                }
                more |= !c.closed && c.tls.blocked && !c.stalled;
            }
        }
        return more;
    }

    /**
     * Counts and logs a connection's failure when it is a TLS one (the transport then drops it). A TLS failure (an untrusted certificate, no common protocol, a peer that
     * hung up mid-handshake) is counted and logged with its reason: at WARNING the first time per peer host and
     * reason, at DEBUG when a redialling peer repeats it.
     */
    void failed(final Connection c, final Exception e) {
        // Only once the TLS session began: a refused or failed connect is no TLS failure (the redial deals with it).
        if (c.tls != null && !c.closed && c.tls.started
            && (e instanceof javax.net.ssl.SSLException || !c.tls.handshakeDone())) {
            final boolean handshake = !c.tls.handshakeDone() || e instanceof javax.net.ssl.SSLHandshakeException;
            if (handshake) {
                handshakeFailures.incrementAndGet();
            }
            String peer;
            try {
                peer = c.dialled != null ? c.dialled.toString()
                    : ((InetSocketAddress) c.channel.getRemoteAddress()).getAddress().getHostAddress();
            } catch (final IOException | RuntimeException unknown) {
                peer = "?";
            }
            final String reason = String.valueOf(e.getMessage());
            if (warned.size() > 1000) {
                warned.clear();
            }
            final boolean first = warned.add(peer + " " + reason);
            System.getLogger(TcpTransport.class.getName()).log(first ? System.Logger.Level.WARNING
                : System.Logger.Level.DEBUG, "tcp transport of " + nodeName + ": TLS " + (handshake ? "handshake "
                : "") + "with " + (c.dialled != null ? "" : "accepted peer ") + peer + " failed, connection dropped: "
                + reason + (handshake ? " (each side's certificate must be signed by a CA in the other's "
                + "tls.trust-store, valid now, and the two must share one of tls.protocols)" : ""));
        }
    }
}
