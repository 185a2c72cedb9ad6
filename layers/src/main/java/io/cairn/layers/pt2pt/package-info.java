/**
 * {@code pt2pt}: reliable, FIFO point-to-point sends.
 *
 * <h2>Protocol</h2>
 * A sliding-window protocol per (sender, destination) pair (JGroups UNICAST, TCP-like): each send carries a
 * sequence number for its destination and is kept until acknowledged; at most {@code window} are in flight, the
 * rest wait. Receivers deliver in order, hold back out-of-order sends, drop duplicates, and return cumulative
 * acknowledgements (at once when half a window is pending, else after {@code ack-delay}). The sender resends
 * everything unacknowledged after {@code retransmit-timeout}, doubling up to {@code max-retransmit-timeout}.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code reliable-unicast}; requires nothing.
 *
 * <h2>Parameters</h2>
 * {@code pt2pt.conf}: window, retransmit-timeout, max-retransmit-timeout, ack-delay, store-chunk-size.
 *
 * <h2>Wire</h2>
 * {@link io.cairn.layers.pt2pt.Pt2ptHeader}: 8-byte sequence number (0 on multicasts, which pass through); ACK
 * control frame of 16 bytes (view tag, cumulative ack).
 *
 * <h2>Events</h2>
 * Consumes sends, deliveries and the view ({@code InstallView} down from membership, or {@code ViewInstalled} up for a
 * static view). Publishes the {@code unacked_bytes} gauge.
 *
 * <h2>View change and failure</h2>
 * Connections belong to a view: a new view drops them, and sends to a member outside the view are refused
 * (counted). Sends still unacknowledged when the view changes are not delivered in the next view.
 *
 * <h2>Testing</h2>
 * {@code Pt2ptLayerTest}: in order, out of order, duplicates, window and queueing, acknowledgements,
 * retransmission with backoff, malformed acks.
 */
package io.cairn.layers.pt2pt;
