/**
 * {@code rdma}: the RDMA transport, in the spirit of Derecho's SST: one-sided writes into registered memory, no
 * kernel on the data path.
 *
 * <h2>Verbs</h2>
 * The transport speaks to a small port, {@link io.cairn.transport.rdma.verbs.Verbs} (register memory, connect a
 * reliable-connected queue pair, post receive / send / RDMA write with immediate, poll completions), with three
 * providers chosen by {@code provider}: {@code disni} (hardware, through DiSNI; this is the only package that
 * imports it), {@code soft} (emulation in one JVM, with completion delays and queue-pair errors for tests) and
 * {@code shm} (the same emulation between processes on one host over memory-mapped files). When DiSNI cannot run
 * (no {@code libdisni}, no device, no {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}) creating the
 * transport fails with {@link io.cairn.transport.rdma.RdmaUnavailableException} naming each missing piece.
 *
 * <h2>Links</h2>
 * One queue pair per pair of nodes: a node dials the {@code initial-members} whose address sorts before its own
 * and accepts the rest. Both sides post receives, then send a hello (node key, ring address, remote key, ring
 * size, credit-word address). A node registers one region per link holding the inbound ring and a staging copy
 * of the outbound ring.
 *
 * <h2>Data path</h2>
 * Stack threads put frames into a bounded queue per link (an Agrona many-to-one ring). The transport's thread
 * copies them into the staging ring as records ({@code [length, unused, frame, pad to 8]}; length -1 pads to the
 * end), and posts one RDMA write with immediate per contiguous batch into the same offsets of the peer's ring;
 * the immediate is the byte count. The peer learns of data from that completion (never by polling memory that
 * may still be in flight), hands frames to its stacks, and writes its consumed position one-sided into the
 * sender's credit word once a quarter of the ring or all announced data was consumed. A sender writes only while
 * {@code tail - credit < ring-size}. When a stack's inbound queue is full the transport stops consuming that
 * ring, so back-pressure reaches the sender through credits instead of loss. A multicast is fan-out: looped back
 * locally and queued on every link.
 *
 * <h2>Failure</h2>
 * A queue pair in the error state (the peer died, closed, or wrote outside its region) or a malformed ring
 * record ends the link: the peer is treated as failed, its frames are dropped, and a dialled address is dialled
 * again with a doubling backoff. Frames of groups this node does not serve are counted and skipped.
 *
 * <h2>Provides</h2>
 * {@code reliable} and {@code fifo} point-to-point while a link lasts, so a stack can leave out
 * {@code nak-reliability} and use {@code relay}, whose copies let the flush agree on what a view delivered when a
 * link or a member fails.
 *
 * <h2>Threads</h2>
 * One polling thread per node (spins, yields, then parks up to 200 µs when idle; a stack's flush wakes it).
 * {@code disni} adds an accepting thread.
 */
package io.cairn.transport.rdma;
