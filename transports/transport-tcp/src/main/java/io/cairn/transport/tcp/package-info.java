/**
 * {@code tcp}: the TCP transport.
 *
 * <h2>Connections</h2>
 * Each node listens on {@code bind-address:port} and connects to its {@code initial-members}; one connection per
 * peer node serves every group. Each side first sends a 16-byte HELLO (magic, listen port, node key); then frames
 * follow back to back, each delimited by the length field of its header. A multicast is queued on every peer's
 * connection and looped back locally; a unicast on the destination's. A connection to an initial member that fails
 * is dialled again with a doubling backoff ({@code reconnect-min} to {@code reconnect-max}); a peer may end up with
 * two connections (both dialled), of which the first that said HELLO carries the frames.
 *
 * <h2>Threads and queues</h2>
 * One I/O loop per node runs a selector: it accepts, dials, reads and parses, and writes. Stack threads put frames
 * into a bounded queue per connection (an Agrona many-to-one ring) and, at the end of their duty cycle
 * ({@link io.cairn.stack.spi.TransportChannel#flush}), have the loop write them, so frames of a cycle leave in one
 * write.
 * <p>
 * With {@code io-on-stack-thread = true} (the default) and no TLS, the thread that runs all of the node's stacks
 * (one group per node with {@code dedicated} threading, any number with {@code shared}) claims the loop
 * ({@link io.cairn.stack.spi.Transport#receiveOn}): it turns the loop without blocking after each duty cycle, so
 * the frames of a cycle are written right after it without waking another thread, and when idle it waits in the
 * selector, so input wakes the one thread that handles it. Otherwise the transport's own I/O thread runs the loop:
 * when a stack binds with no owner ({@code invoker} threading, a transport used without a node), when a second
 * owner asks (a second {@code dedicated} group), or when the owner's stack stops while others are bound. The
 * switch is for good and keeps order: the own thread starts after the owner's last turn and first writes what the
 * owner's stacks queued. With TLS the own thread always runs the loop, so that a handshake's work (delegated tasks
 * run inline) never holds up a stack's cycle.
 * <p>
 * While any queue is
 * half full the channel reports itself not writable and the stacks stop taking application casts. When a stack's
 * inbound queue is full the connection stalls: its bytes stay buffered and nothing more is read from its socket
 * until the stack takes the frame, so TCP's flow control slows the sender instead of frames being dropped.
 *
 * <h2>Bad input</h2>
 * A stream without the HELLO magic, or a frame with a wrong magic or a length outside 32..{@code max-frame-size},
 * cannot be resynchronised: it is counted ({@code malformed}) and the connection is dropped (the peer reconnects).
 * Frames of groups this node does not serve are counted and skipped; each stack validates its own frames fully.
 *
 * <h2>TLS</h2>
 * With {@code tls.enabled = true} every connection runs TLS with mutual authentication (the JDK's
 * {@link javax.net.ssl.SSLEngine}, one per connection, {@code TLSv1.3} by default): the dialling side is the client,
 * the accepting side the server and demands the client's certificate. A peer is accepted when its certificate chain
 * leads to a CA in {@code tls.trust-store} and is valid now; names are not checked (members dial each other by
 * address), so the CA alone decides who is a member, and the node key in the HELLO is not bound to the certificate.
 * The HELLO and the frames travel as application data once the handshake is done; the frame parsing is the same
 * as without TLS ({@link io.cairn.transport.tcp.TlsSession} unwraps into the connection's input buffer and wraps
 * its output buffer). Delegated tasks run inline on the I/O thread. A failed handshake (an untrusted or expired
 * certificate, no common protocol, a peer hanging up mid-handshake) drops the connection, is counted
 * ({@code tls_handshake_failures}) and logged at WARNING with the reason (at DEBUG when a redialling peer repeats it);
 * a dialled peer is redialled with the usual backoff.
 * <p>
 * Settings ({@code reference.conf}, {@code cairn.transport.tcp.tls}): {@code key-store} (PKCS#12: this node's key
 * and CA-signed chain), {@code trust-store} (PKCS#12: the CA certificates), their {@code *-password-file}s
 * (passwords are never written inline), {@code protocols}, {@code cipher-suites} (empty: the JDK's defaults) and
 * {@code reload-interval}. They are read when the transport starts and checked there (missing file, wrong password,
 * no private key, a certificate expired or not yet valid, an empty trust store), each failure naming the file,
 * line, key, value and fix. When a connection is made, and at most every {@code reload-interval}, the size,
 * modification time and inode of both store files are compared with those loaded; on a change the context is
 * rebuilt and new connections present the new certificate while existing ones keep theirs. A changed file that
 * does not load leaves the previous context in place ({@code tls_reload_failures}, logged). Other counters:
 * {@code tls_handshakes}, {@code tls_reloads}. Without TLS the I/O path is exactly the plain one (a null check).
 *
 * <h2>Provides</h2>
 * {@code reliable} and {@code fifo} point-to-point while a connection lasts. Across failures (a connection reset,
 * a full queue) frames can be lost, so stacks still need their own layers for multicast agreement.
 */
package io.cairn.transport.tcp;
