/**
 * {@code virtual-synchrony}: the flush. Members that install the same next view delivered the same messages in
 * the previous one, and every message is delivered in the view it was sent in.
 *
 * <h2>Protocol</h2>
 * Driven by the membership layer above with {@link io.cairn.stack.event.FlushRequest} (attempt, survivors,
 * coordinator), in the manner of Isis/Horus flush and Ensemble {@code sync}:
 * <ol>
 * <li>Each survivor sends {@code Blocked} up once and waits for the {@code BlockOk} that the runtime sends back
 *     through the application's command ring, behind every cast offered before the application saw
 *     {@code Blocked}: those casts, and any cast a layer above held (flow control releases its own on
 *     {@code Blocked}), go out in this view and are counted. Then it blocks: queues new casts (they go out in
 *     the next view), stops
 *     delivering messages of the view (holds them), tells the layers below ({@code FlushHolding}) so stability
 *     stops acknowledging what may fall beyond the cut, and reports to the coordinator FLUSH_OK with the number
 *     of multicasts it delivered from each rank (for itself: everything it sent).</li>
 * <li>The coordinator waits for every survivor's report and multicasts the CUT: the element-wise maximum.</li>
 * <li>Each survivor delivers what it held up to the cut, keeps holding anything beyond it (a later attempt whose
 *     survivors include a member this one left out may cut further; the next view drops it), asks the reliability layer
 *     below ({@link io.cairn.stack.event.SyncTo}) for what it lacks — from any member that has it, since the
 *     original sender may be dead — and sends DONE once it delivered exactly the cut.</li>
 * <li>When every survivor is DONE, {@link io.cairn.stack.event.FlushCompleted} goes up at the coordinator and the
 *     membership layer installs the next view; {@code InstallView} passing down ends the flush. The queued
 *     casts go out in the new view only on {@link io.cairn.stack.event.ViewOk} of its epoch, which the runtime
 *     sends through the command ring once the application has seen the view (a joiner whose state transfer
 *     fails exits without the view, so its casts are never sent in a view its application did not see).</li>
 * </ol>
 * A later attempt (a new coordinator, or a changed proposal) supersedes an earlier one: its cut is the maximum of
 * what its survivors delivered, which none of them exceeded. Unanswered control frames are repeated every
 * {@code retry-interval}. A request that supersedes one still waiting for {@code BlockOk} replaces it; once
 * blocked, a later attempt starts at once. Casts issued while blocked are queued, never dropped.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code virtual-synchrony}; requires {@code fifo} (counts mean "the first k messages of rank i") and
 * {@code recovery} (a layer below that answers {@code SyncTo}: {@code nak-reliability}, or {@code relay} over a
 * transport that is reliable and FIFO itself).
 *
 * <h2>Parameters</h2>
 * {@code virtual-synchrony.conf}: retry-interval, store-chunk-size.
 *
 * <h2>Wire</h2>
 * No data header. Control frames {@link io.cairn.layers.vsync.FlushControl}: FLUSH_OK and CUT (attempt, view tag,
 * per-rank counts), DONE (attempt, view tag).
 *
 * <h2>Events</h2>
 * Consumes casts, deliveries, {@code FlushRequest}, {@code BlockOk}, {@code InstallView}; emits {@code Blocked},
 * {@code FlushHolding}, {@code SyncTo}, {@code FlushCompleted}.
 *
 * <h2>View change and failure</h2>
 * Survivors are those the coordinator proposed; a survivor that fails during the flush makes the flush wait until
 * the membership layer suspects it and starts a new attempt without it. Messages of a crashed sender are
 * delivered by all survivors up to the largest prefix any survivor had.
 *
 * <h2>Testing</h2>
 * {@code VirtualSynchronyLayerTest} (blocking and queueing, reports, holding and the cut, catch-up, coordination,
 * superseded attempts, retries) and {@code VirtualSynchronyProperties} (V1, V2, I3 and the rest under crashes,
 * coordinator crashes at every step, cascades, joins, leaves, pauses, partitions, loss and jitter).
 */
package io.cairn.layers.vsync;
