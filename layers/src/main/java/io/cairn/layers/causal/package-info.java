/**
 * {@code causal}: causal multicast (Birman–Schiper–Stephenson cbcast) with vector timestamps per view.
 *
 * <h2>Protocol</h2>
 * Each member counts, per rank of the view, the casts it has delivered. A cast carries the entries of that vector
 * that changed since the sender's previous cast (delta encoding: with FIFO below, a receiver applying the deltas
 * of one sender in order knows the sender's whole vector, and a delivered count never goes back, so only the
 * changed entries need checking). A cast from s is delivered when every entry (r, k) it carries has
 * {@code delivered[r] >= k}; FIFO below already guarantees s's own earlier casts. Otherwise it waits in s's
 * hold-back queue; every delivery re-examines the queue heads. A cast after which nothing new was delivered has no
 * entries and is sent without a copy; otherwise the frame is copied once to append the entries.
 *
 * <h2>View change and failure</h2>
 * Vectors are per view. Casts that pass after the application's {@code BlockOk} (answering {@code Blocked}) are sent
 * in the next view (the flush queues them) and carry no entries: everything of the old view is delivered before the
 * new view begins. Casts between {@code Blocked} and {@code BlockOk} still go out in the old view, with entries.
 * At {@code ViewInstalled} the flush has given every survivor the same casts, so each delivers what it can and
 * discards the same rest:
 * casts whose predecessor no survivor has, because both their sender and the predecessor's sender failed.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code causal}; requires {@code fifo}. Place it above {@code safe} if both are used.
 *
 * <h2>Parameters</h2>
 * {@code causal.conf}: max-hold-back (bytes held back; exceeding it stops the stack with an error naming the
 * key, since reliable FIFO below bounds what can legitimately be in flight), store-chunk-size.
 *
 * <h2>Wire</h2>
 * {@link io.cairn.layers.causal.CausalHeader}: 4-byte header (entry count), 8-byte entries in a trailer at the
 * end of the frame, removed before delivery. Malformed entries (count over the view size, a rank outside the view
 * or the sender's own) are dropped and counted.
 *
 * <h2>Events</h2>
 * Consumes casts, deliveries, {@code Blocked}, {@code BlockOk}, {@code ViewInstalled}; gauge {@code causal_holding_bytes}.
 *
 * <h2>Testing</h2>
 * {@code CausalLayerTest} (delta entries, hold-back and release chains, malformed trailers, view change) and
 * {@code OrderingProperties}, where the checker recomputes vector clocks from the trace (C1).
 */
package io.cairn.layers.causal;
