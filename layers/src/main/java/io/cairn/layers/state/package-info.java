/**
 * {@code state-transfer}: a joiner starts from the application state as of the view in which it joins.
 *
 * <h2>Protocol</h2>
 * When a view with newcomers is installed, its oldest member (which was in the previous view) asks its
 * application for a snapshot at that point — after the flush, before anything of the new view is delivered, so
 * every survivor's state reflects exactly the same messages — and streams it to each newcomer in chunks of
 * {@code chunk-size}, at most {@code window} unacknowledged, resending after {@code retry-interval} without
 * progress (JGroups STATE, Isis state transfer). The joiner passes the chunks up in order
 * ({@link io.cairn.stack.event.StateChunk}) and holds the view's deliveries until the last chunk, then releases
 * them. The snapshot is an {@link java.io.InputStream} read as the window allows, so a large state never needs one
 * buffer on the provider; the joiner sees it chunk by chunk.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code state-transfer}; requires {@code membership}.
 *
 * <h2>Parameters</h2>
 * {@code state-transfer.conf}: chunk-size, window, retry-interval, store-chunk-size.
 *
 * <h2>Wire</h2>
 * No data header. Control frames {@link io.cairn.layers.state.StateControl}: CHUNK (view tag, offset, last, bytes)
 * and ACK (view tag, bytes received; one past the end once complete).
 *
 * <h2>Events</h2>
 * Consumes {@code ViewInstalled} and deliveries; emits {@link io.cairn.stack.event.StateSnapshotRequest} (answered
 * synchronously by the application) and {@code StateChunk} up.
 *
 * <h2>View change and failure</h2>
 * A new view ends every transfer. A joiner's casts go out at once in the view its application saw (holding them
 * until the state arrived could send them in a later view); its deliveries wait for the state. A joiner whose
 * provider failed before the state was complete exits with
 * {@link io.cairn.layers.state.StateTransferLayer#INTERRUPTED} (its state is partial) and rejoins as a new
 * incarnation. A joiner that leaves before its state arrived exits with
 * {@link io.cairn.layers.state.StateTransferLayer#LEFT_BEFORE_STATE} instead of a clean leave: it never delivered
 * what its last view held for it.
 *
 * <h2>Testing</h2>
 * {@code StateTransferLayerTest} (snapshot at the install, chunking and window, acknowledgements and resends,
 * holding deliveries, interrupted transfer) and {@code StateTransferProperties} (F13: churn of 50 joins, leaves and
 * crash-restarts; S1 and equal final states).
 */
package io.cairn.layers.state;
