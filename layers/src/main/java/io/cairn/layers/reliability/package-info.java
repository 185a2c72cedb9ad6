/**
 * {@code nak-reliability}: reliable multicast by negative acknowledgement.
 *
 * <h2>Protocol</h2>
 * Every data multicast carries the sender's sequence number in the current view and its rank (JGroups NAKACK,
 * Ensemble {@code mnak}). Receivers deliver each number once, immediately (ordering is the job of {@code fifo}
 * above), track the contiguous point and a window above it, and keep a copy of every message until it is stable.
 * A gap is NAKed after {@code nak-delay} to the original sender, then at intervals that double while the gap
 * makes no progress (and reset when it does); after {@code relay-after} attempts the NAK is multicast and any
 * member holding the message retransmits it.
 *
 * <p>One answer holds at most {@code max-retransmit-per-nak} messages, so a long burst (an overflowing queue drops
 * thousands) is recovered in rounds. When a NAK to the original sender asked for more than that (or for
 * {@code max-nak-ranges} ranges) and its answer has arrived in full, the next NAK goes at once: one round per round
 * trip rather than per interval (it counts toward {@code relay-after} like any other). An answer that comes short,
 * a NAK to everyone (several members answer) and gaps one answer covers (random loss, reordering) wait for the
 * delay and the interval.
 *
 * <p>A member with unstable messages periodically multicasts its highest sequence number, so a lost tail is detected.
 * Stability ({@link io.cairn.stack.event.Trim}, from a stability layer above) trims the copies.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code reliable} and {@code recovery} (answers {@code SyncTo}). Requires nothing. Without a stability
 * layer the copies are never trimmed.
 *
 * <h2>Parameters</h2>
 * {@code nak-reliability.conf}: nak-delay, nak-interval, max-nak-interval, highest-interval, window,
 * max-nak-ranges, relay-after, max-retransmit-per-nak, store-chunk-size.
 *
 * <h2>Wire</h2>
 * Data header {@link io.cairn.stack.wire.OriginSeqHeader} (12 bytes: seq, origin rank, flags); control frames
 * {@link io.cairn.layers.reliability.NakControl} (NAK with ranges, HIGHEST). Sends point-to-point pass through
 * unsequenced (seq 0).
 *
 * <h2>Events</h2>
 * Consumes casts, deliveries, the view ({@code InstallView} down from membership, or {@code ViewInstalled} up for a
 * static view) and {@code Trim} (down). Emits nothing new.
 *
 * <h2>View change and failure</h2>
 * All state is per view: a new view restarts numbering at 1 and drops the copies. Frames of another view are
 * dropped below. A crashed sender's missing messages can still be recovered from any member holding them; what
 * nobody received is lost, and the flush layer decides what the view delivered.
 *
 * <h2>Testing</h2>
 * {@code NakReliabilityLayerTest} (harness: gaps, duplicates, late retransmissions, out-of-window, last message,
 * relay to all, malformed control, the next NAK on a full answer), {@code ReliabilityStackProperties} (simulator,
 * fault rows F01–F04: I1, I2, I4, F1 and a bounded retransmission buffer) and {@code NakRecoveryProperties} (a 40 ms
 * one-way blackout under load, ~650 casts lost at once, recovered within 20 ms of the link returning (8-9 ms; about
 * 100 ms at one NAK per interval), with fewer than 2 retransmissions each).
 */
package io.cairn.layers.reliability;
