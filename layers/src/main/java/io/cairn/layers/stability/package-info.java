/**
 * {@code stability}: which multicasts every member of the view has delivered.
 *
 * <h2>Protocol</h2>
 * Each member counts the multicasts it has delivered from each rank in the view and gossips that vector
 * (Ensemble {@code stable}, JGroups STABLE). Every member keeps the latest vector heard from each other member;
 * the element-wise minimum is the stability vector. When it advances, {@link io.cairn.stack.event.Stable} goes up
 * (safe delivery, the application) and {@link io.cairn.stack.event.Trim} down (reliability layers discard their
 * copies). Gossip runs while the local
 * vector changes, a different vector is heard, or something is not yet stable, and stops when all agree.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code stability}; requires {@code fifo} (counts mean "the first k messages").
 *
 * <h2>Parameters</h2>
 * {@code stability.conf}: gossip-interval.
 *
 * <h2>Wire</h2>
 * No data header. Control frame {@link io.cairn.layers.stability.StabilityGossip}: view tag, n, n counts.
 *
 * <h2>Events</h2>
 * Consumes deliveries, the view ({@code InstallView} down from membership, or {@code ViewInstalled} up for a
 * static view) and {@code FlushHolding}; emits {@code Stable} up and {@code Trim} down.
 *
 * <h2>View change and failure</h2>
 * Vectors are per view. A crashed member's row stops advancing, so stability stalls until the membership layer
 * excludes it; the retransmission buffers grow meanwhile, bounded by what flows during the detection time. Once the
 * flush layer above starts holding a view's deliveries for its cut ({@code FlushHolding}), this member counts
 * nothing more of that view: a frame it acknowledged could otherwise lie beyond the cut, discarded by every
 * survivor after a member outside the flush delivered it safe (soak: safe-total, F20, seed 1168).
 *
 * <h2>Testing</h2>
 * {@code StabilityLayerTest} (minimum across members, malformed and stale gossip, quiescence) and the bounded
 * {@code retransmit_bytes} gauge in {@code ReliabilityStackProperties}.
 */
package io.cairn.layers.stability;
