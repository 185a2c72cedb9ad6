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
 * One I/O thread per node runs a selector; stack threads put frames into a bounded queue per connection (an Agrona
 * many-to-one ring) and wake the selector once at the end of their duty cycle
 * ({@link io.cairn.stack.spi.TransportChannel#flush}), so frames of a cycle leave in one write. While any queue is
 * half full the channel reports itself not writable and the stacks stop taking application casts. When a stack's
 * inbound queue is full the connection stalls: its bytes stay buffered and nothing more is read from its socket
 * until the stack takes the frame, so TCP's flow control slows the sender instead of frames being dropped.
 *
 * <h2>Bad input</h2>
 * A stream without the HELLO magic, or a frame with a wrong magic or a length outside 32..{@code max-frame-size},
 * cannot be resynchronised: it is counted ({@code malformed}) and the connection is dropped (the peer reconnects).
 * Frames of groups this node does not serve are counted and skipped; each stack validates its own frames fully.
 *
 * <h2>Provides</h2>
 * {@code reliable} and {@code fifo} point-to-point while a connection lasts. Across failures (a connection reset,
 * a full queue) frames can be lost, so stacks still need their own layers for multicast agreement.
 */
package io.cairn.transport.tcp;
