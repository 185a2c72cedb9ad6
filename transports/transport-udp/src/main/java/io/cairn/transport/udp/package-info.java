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
 * <h2>Receiving: on the stack's thread or the transport's own</h2>
 * With {@code receive-on-stack-thread = true} (the default), the thread that runs the node's stacks reads the
 * sockets itself when it is the only one that needs them: a node with one group (threading {@code dedicated}) or
 * with any number ({@code shared}). The node claims the transport before its stack binds
 * ({@link io.cairn.stack.spi.Transport#receiveOn}); after each duty cycle the thread reads up to 16 datagrams per
 * socket without blocking, and when it has nothing to do it waits in the sockets' readiness (a
 * {@link java.nio.channels.Selector}) instead of parking, woken by a datagram, by a cast, or by its next timer
 * (after {@code cairn.node.max-park}, never less than a millisecond). A datagram so wakes one thread instead of a
 * receive thread that then wakes the stack's. A frame whose stack's inbound queue is full is held, with the rest of
 * its datagram, and nothing more is read (the sockets buffer meanwhile); it goes at the next poll with room, or
 * is dropped after {@code full-queue-wait} ({@code dropped}). The thread never waits for room, as it would wait for
 * itself.
 * <p>
 * Otherwise one daemon thread per socket reads: when the setting is false, when a stack binds with no owner
 * (threading {@code invoker}, or a transport used without a node), when a second thread asks (two dedicated groups
 * on one node: one socket cannot be read by two threads in order), or when the owner's stack stops while others
 * are bound. The change is for good and keeps order: the owner's last read, and a frame it held, go before the
 * threads start. A thread waits up to {@code full-queue-wait} for room in a full inbound queue before it drops a
 * frame ({@code dropped}, {@code waits}). The {@code receive_threads} counter says which way a transport reads.
 * <p>
 * The socket is non-blocking either way, so a send that finds the send buffer full pauses 20 us and tries again
 * ({@code send_waits}), for up to 50 ms, before the datagram counts as lost ({@code send_failures}); after one
 * such timeout the rest of the duty cycle's datagrams are not waited for.
 *
 * <h2>Bad input</h2>
 * Either way datagrams are split and each frame handed to the stack of its group (which validates it fully and
 * counts rejects). A datagram that is too short, lacks the magic, or whose length
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
