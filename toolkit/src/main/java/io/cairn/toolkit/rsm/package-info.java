/**
 * Replicated state machine, and on it a replicated map and counter.
 *
 * <h2>Protocol</h2>
 * A command is cast as {@code COMMAND(no, bytes)} over a total-order stack; every replica applies every command
 * at delivery, in delivery order, and numbers it: the index is the same on every replica. The submitter's future
 * completes with its own replica's result. A {@code syncRead} casts a {@code READ(no)} barrier and reads when its
 * replica delivers it. A joiner receives, through state transfer, the index and a snapshot taken at the cut of
 * the view that admits it; a newcomer's first view reaches the machine only if no snapshot replaces its state.
 *
 * <h2>Guarantees (within the primary partition)</h2>
 * <ul>
 *   <li>Replicas apply the same commands in the same order: the command at index i is the same everywhere, so
 *       replicas that reached the same index hold the same state.</li>
 *   <li>View changes reach the machine at the same point of the order on every replica (virtual synchrony).</li>
 *   <li>Local reads ({@code read}, {@code ReplicatedMap.get}) are sequentially consistent: they see a prefix of the
 *       order that includes this member's completed commands; another member may be ahead.</li>
 *   <li>{@code syncRead} / {@code syncGet} are linearizable: they see every command ordered before them.</li>
 *   <li>A submitter that exits before its command is ordered gets a failed future; the command may still have
 *       been applied by the others (the usual ambiguity of a crash: make commands idempotent if it matters).</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * A stack that provides {@code total}, {@code virtual-synchrony} and {@code state-transfer} ({@code total},
 * {@code safe-total}, {@code total-tcp}); checked when the block starts. One cast per command; the machine runs on
 * the stack's thread under its monitor, which local reads take too.
 */
package io.cairn.toolkit.rsm;
