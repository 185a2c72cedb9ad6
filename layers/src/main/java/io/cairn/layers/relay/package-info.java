/**
 * {@code relay}: flush recovery over a transport that is already reliable and FIFO (TCP, RDMA), where
 * {@code nak-reliability} would only cost a header check, a window and timers on every message.
 *
 * <h2>Protocol</h2>
 * Every data multicast carries the sender's sequence number in the view and its rank. A receiver delivers the
 * next number of each sender and keeps a copy until {@link io.cairn.stack.event.Trim} says every member has it.
 * Copies serve three cases:
 * <ul>
 * <li>A flush: {@link io.cairn.stack.event.SyncTo} (from {@code virtual-synchrony}) names how many messages of each
 *     rank the view delivers; for each rank it lacks, the member multicasts a REQUEST and every member holding the
 *     messages sends them point-to-point, flagged as relayed (the sender may have crashed after reaching only
 *     some members). The flush repeats {@code SyncTo} until it has them, so requests need no timer here.</li>
 * <li>A gap: the transport lost frames while its connection broke or a queue overflowed. A frame beyond the next
 *     number is dropped and the origin is asked for everything from the missing number on, at most once per
 *     {@code request-interval}; later frames are dropped until the gap fills. Duplicates are dropped. A gap in
 *     the member's own messages (its loopback refused by a full inbound queue) is filled at once from its copies,
 *     and so is an own tail that made no progress for a {@code highest-interval}.</li>
 * <li>A lost tail: while a member has unstable messages it multicasts HIGHEST every {@code highest-interval}.</li>
 * </ul>
 *
 * <h2>Provides / requires</h2>
 * Provides {@code recovery}; requires {@code reliable} and {@code fifo} from below (the transport). Over UDP the
 * assembler rejects it; use {@code nak-reliability} there.
 *
 * <h2>Parameters</h2>
 * {@code relay.conf}: request-interval, highest-interval, max-per-request, store-chunk-size.
 *
 * <h2>Wire</h2>
 * Data header {@link io.cairn.stack.wire.OriginSeqHeader} (shared with nak-reliability) (12 bytes: seq, origin rank, flags); control frames
 * {@link io.cairn.layers.relay.RelayControl} (REQUEST and HIGHEST, 27 bytes). Point-to-point sends pass
 * unsequenced (seq 0).
 *
 * <h2>Events</h2>
 * Consumes casts, deliveries, the view ({@code InstallView} down from membership, or {@code ViewInstalled} up for a
 * static view), {@code Trim} and {@code SyncTo} (down). Emits nothing new.
 *
 * <h2>View change and failure</h2>
 * State is per view: numbering restarts at 1 and copies are dropped when a view passes. Frames of another view
 * are dropped. What no survivor received of a crashed sender is not delivered; the flush's cut decides.
 *
 * <h2>Testing</h2>
 * {@code RelayLayerTest} (harness: in-order delivery, duplicates, gaps and requests, answers from copies, flush
 * requests, malformed control) and the RDMA and TCP group tests (stacks without {@code nak-reliability}).
 */
package io.cairn.layers.relay;
