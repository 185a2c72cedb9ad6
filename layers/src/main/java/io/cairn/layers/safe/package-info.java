/**
 * {@code safe}: safe (uniform) delivery — a multicast is delivered only once every member of the view has
 * received it (Spread SAFE, Derecho's delivery rule, Birman's dynamic uniformity).
 *
 * <h2>Protocol</h2>
 * The layer holds each multicast of the view, per sender rank, in arrival (FIFO) order, and releases the k-th one
 * from rank r when the stability layer below reports that every member has delivered at least k multicasts from r
 * ({@link io.cairn.stack.event.Stable}). It adds no header and sends nothing: receipt is learnt from the stability
 * gossip, which keeps running while anything is unstable. Unicasts pass straight through.
 *
 * <h2>Placement</h2>
 * Directly above the layers that may consume data multicasts (stability, heartbeat, virtual-synchrony,
 * membership) and <em>below</em> an ordering layer: the counts must match stability's, which sees every data
 * multicast, including a sequencer's ORDER batches and symmetric-total's null messages. An ordering layer above
 * therefore orders only messages every member already has, and its own order announcements are themselves safe,
 * which is what makes the order uniform: a member that delivers and then crashes delivered nothing the survivors
 * lack. The cost is latency: about one stability gossip round per hop of the ordering protocol.
 *
 * <h2>View change and failure</h2>
 * A crashed member stops stability, so delivery waits for the view change. The flush below gives every survivor
 * the same multicasts of the old view and excludes everyone else, so at {@code ViewInstalled} the layer releases
 * everything it still holds (in rank, then arrival order) before passing the view up. Messages released early
 * were received by every member, survivors included, before any survivor began its flush report (stability stops
 * counting a view once the flush holds its deliveries), so they are within the cut and every survivor delivers
 * them too (U1); a message is never released before every non-excluded member received it (U2).
 *
 * <h2>Provides / requires</h2>
 * Provides {@code safe}; requires {@code stability} (which requires {@code fifo}). Per-sender FIFO order is kept;
 * causal order is not (put {@code causal} below it, or use total order above it).
 *
 * <h2>Parameters</h2>
 * {@code safe.conf}: store-chunk-size.
 *
 * <h2>Events</h2>
 * Consumes deliveries, {@code Stable} (passed on up) and {@code ViewInstalled}; gauge {@code safe_holding}.
 *
 * <h2>Testing</h2>
 * {@code SafeLayerTest} (hold until stable, partial stability, stale vectors, release at the view change) and the
 * {@code sequencer-total + safe} rows of {@code OrderingProperties}, where the simulator records {@code recv}
 * events just below this layer so the checker can verify U2 as well as U1.
 */
package io.cairn.layers.safe;
