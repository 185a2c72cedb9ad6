/**
 * The toolkit: blocks for replicated services, built only on the public API ({@code io.cairn.api}), so that they
 * also prove that API is enough. Each block owns one group, checks at start that its stack provides what it
 * relies on ({@link io.cairn.toolkit.Block}), keeps its state on the stack's thread or behind its own monitor,
 * starts no threads (time-outs and retries use the shared {@link io.cairn.toolkit.Scheduler}), and reports its
 * operations to a {@link io.cairn.toolkit.Recorder} so that checkers can judge runs in the simulator.
 *
 * <p>Blocks: {@code request} (requests with k replies), {@code cohort} (coordinator-cohort), {@code rsm}
 * (replicated state machine, map, counter), {@code leader}, {@code consensus}, {@code lock}, {@code snapshot}.
 * Operations never block the caller: they return {@link java.util.concurrent.CompletableFuture}s, completed on the
 * stack's thread.
 *
 * <h2>Guarantees every block shares</h2>
 * <ul>
 *   <li>They hold within the primary partition: a member cut off from the majority may act on its old view until it
 *       detects that and exits (then every future waiting on the group fails).</li>
 *   <li>Over a non-uniform stack ({@code total}, {@code vsync}), what a member did in its last view before it
 *       crashed or was cut off may differ from what the group did; {@code safe-total} removes that difference.</li>
 *   <li>Every guarantee is checked in the application simulator under crashes, partitions, leaves and loss (the
 *       toolkit's {@code *Properties} tests) by checkers fed with what the blocks record.</li>
 * </ul>
 */
package io.cairn.toolkit;
