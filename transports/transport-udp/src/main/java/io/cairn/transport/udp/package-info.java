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
 * One daemon thread per socket receives datagrams, splits them and hands each frame to the stack of its group
 * (which validates it fully and counts rejects). A datagram that is too short, lacks the magic, or whose length
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
