/**
 * {@code sequencer-total}: total order by a sequencer, over virtual synchrony.
 *
 * <h2>Protocol</h2>
 * Casts travel as ordinary reliable FIFO multicasts, named by (sender rank, position among that sender's casts in
 * the view). The sequencer — the view's oldest member — assigns them consecutive global sequence numbers in the
 * order it receives them and multicasts the assignments in ORDER batches (one per duty cycle, at most
 * {@code max-batch}); every member delivers in assignment order as soon as the named cast is present (Amoeba,
 * JGroups SEQUENCER, Kaashoek's sequencer, but without forwarding: the sender multicasts its own cast).
 * A new view's sequencer first multicasts an empty batch carrying the next number, so newcomers learn where the
 * order stands (their state was taken at that point).
 *
 * <h2>View change and sequencer failure</h2>
 * When the flush starts ({@code Blocked}) the sequencer stops ordering: a batch cast then would be sent in the next
 * view. The flush gives every survivor the same casts and the same batches of the old view, so at
 * {@code ViewInstalled} each survivor completes the old view identically: the assignments received, skipping casts
 * no survivor kept (their sender and the sequencer failed), then the unassigned casts by sender rank and position.
 * Numbers continue across views. A sequencer crash with orders in flight therefore loses no survivor's cast and
 * causes no disagreement among survivors. The order is not uniform: a sequencer that delivered its own last batch
 * and crashed before anyone received it may have delivered an order the survivors do not; uniform (safe) total
 * order is the {@code safe} layer's job.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code total}; requires {@code membership} (and so the flush below it).
 *
 * <h2>Parameters</h2>
 * {@code sequencer-total.conf}: max-batch, store-chunk-size.
 *
 * <h2>Wire</h2>
 * {@link io.cairn.layers.total.TotalHeader}: 4-byte header (DATA or ORDER); ORDER payload = first number, count,
 * (rank, position) pairs.
 *
 * <h2>Events</h2>
 * Consumes casts, deliveries, {@code Blocked}, {@code ViewInstalled}; sets
 * {@link io.cairn.stack.event.Message#order()} on deliveries (the application sees it as
 * {@code Delivery.order()}).
 *
 * <h2>Testing</h2>
 * {@code SequencerTotalLayerTest} (ordering, waiting for named casts, deterministic completion with missing casts,
 * blocked sequencer, foreign orders) and {@code SequencerTotalProperties} (T1–T3 with loss, sequencer crashes with
 * orders in flight, cascades, churn with state transfer).
 */
package io.cairn.layers.total;
