/**
 * {@code udp}: the UDP transport.
 *
 * <h2>Sockets</h2>
 * Each node has one unicast socket ({@code bind-address:port}) and, in multicast mode, one socket bound to the
 * multicast port and joined to the group on {@code interface}. Everything is sent from the unicast socket, so the
 * source address of any datagram is its sender's unicast address: the transport learns member key to address from
 * the frames it receives (only frames of groups it serves, and well framed). In unicast mode a multicast is sent
 * once per known peer (configured {@code initial-members}, then everyone heard from) and looped back locally.
 *
 * <h2>Bundling</h2>
 * Frames for the same destination are appended to one datagram of up to {@code max-datagram} bytes, which goes out
 * when full or when the stack's duty cycle ends ({@link io.cairn.stack.spi.TransportChannel#flush}): one frame per
 * datagram at low load (no added latency), full datagrams at high load. A datagram is frames back to back, each
 * starting with the frame header, whose length field delimits it.
 *
 * <h2>Receiving and bad input</h2>
 * One daemon thread per socket receives datagrams. A datagram whose frames are all well framed and of one group is
 * handed to that group's stack whole ({@link io.cairn.stack.spi.FrameReceiver#onBatch}): the stack reads the frames
 * where they were received and gives the buffer back, so nothing is copied between the socket and the layers. The
 * thread's buffers come from a pool of at most 64 (made as needed); a stack holds at most 32, and when it holds
 * that many the thread waits for it, boundedly, as for a full ring (never copying the datagram into the ring
 * behind those it holds, which would reorder a sender's frames). Any other datagram, or one received while the
 * stacks hold every pooled buffer, is split and each frame handed over as a copy (which the stack validates fully
 * and counts rejects, as it does for batches). A datagram that is too short, lacks the magic, or whose length
 * fields do not add up is dropped from the first bad frame on and counted ({@code malformed}); frames of other
 * groups are counted ({@code unknown_group}). Nothing a peer sends can throw out of the receive loop.
 *
 * <h2>Provides</h2>
 * Nothing: datagrams can be lost, duplicated and reordered; the stack's layers supply reliability and order.
 * Overload drops datagrams in the kernel; flow control ({@code credit-flow}) keeps senders below that.
 *
 * <h2>Settings</h2>
 * {@code cairn.transport.udp} in reference.conf.
 */
package io.cairn.transport.udp;
