/**
 * {@code heartbeat}: failure detection.
 *
 * <h2>Protocol</h2>
 * Every member multicasts a heartbeat every {@code interval}; any frame from a member (data passing through this
 * layer, or heartbeat control) counts as a sign of life. A member silent for {@code timeout} is probed
 * point-to-point, {@code probes} times, {@code probe-interval} apart (the confirmation round required before
 * exclusion); if no reply or other frame arrives, a {@link io.cairn.stack.event.Suspected} event goes up, once per
 * member and view (Ensemble {@code suspect}, JGroups FD_ALL plus VERIFY_SUSPECT). Timers use the stack's monotonic
 * clock, so wall-clock jumps cause no suspicion.
 *
 * <h2>Shared by a node's groups ({@code share-liveness}, on by default)</h2>
 * Liveness is mostly a property of a process, so a node's groups can pool it
 * ({@link io.cairn.stack.spi.LayerContext#peers}, per transport): a frame heard from a member in any of the node's
 * groups is a sign of life in all of them, and a group skips its heartbeat when every other member of its view was
 * sent one within the interval by another group (two nodes sharing a thousand idle groups then exchange about one
 * heartbeat per interval, not a thousand). A suspicion confirmed in one group starts the probes of the others at
 * once, if it came during their current view and the member has been silent since; each group still reaches its
 * own verdict. Sharing needs the same member keys at both ends (the same incarnation) and the same transport.
 *
 * <p>Evidence from one group must not hide a failure of another: a member whose stack for one group stopped without
 * LEAVE (closed, or exited to rejoin as its next incarnation), or installed a view without us, while its other
 * groups go on. So each node has a generation that rises whenever one of its stacks stops or installs a view that
 * drops members; heartbeats and probe replies carry it (17 bytes instead of 9). A group that learns of a generation
 * its own traffic has not confirmed probes the member at once, and only a heartbeat or probe reply in this group,
 * in this view, confirms it; without one the member is suspected after the probe round, whatever the other groups
 * hear. A node's churn (a member leaving or being excluded somewhere) therefore costs a probe and a reply per
 * shared group; joins cost nothing.
 *
 * <p>A stack that is stuck (a listener that never returns, a thread that died) announces nothing, and its node's
 * other groups would go on vouching for it. So every tick reports the stack running to the node's table
 * ({@link io.cairn.stack.spi.PeerLiveness#running}); a stack that has not ticked for its {@code timeout} while
 * another of the node's stacks has raises the generation once, and its peers confirm it in its group, where it
 * does not answer. A pause of the whole process (or of its only thread) is no stall: nobody ticked.
 *
 * <p>The simulator runs it with several groups per host over one table ({@code Simulator.Options.groups}; host
 * faults hit every group, leaves and {@code hang}s one group at a time), through the fault matrix
 * ({@code SharedLivenessMatrixProperties}); {@code SharedFailureDetectionTest} runs it through the public API.
 * Heartbeats of another view are never evidence. {@code share-liveness = false} gives every group its own
 * detector (9-byte frames).
 *
 * <h2>Provides / requires</h2>
 * Provides {@code failure-detection}; requires nothing.
 *
 * <h2>Parameters</h2>
 * {@code heartbeat.conf}: interval, timeout, probe-interval, probes. A crashed member is suspected after at most
 * {@code timeout + (probes + 1) x probe-interval} plus one tick.
 *
 * <h2>Wire</h2>
 * No data header. Control frame {@link io.cairn.layers.heartbeat.HeartbeatControl}: type and view tag (9 bytes),
 * and the node's generation when shared (17).
 *
 * <h2>Events</h2>
 * Consumes deliveries (liveness) and the view ({@code InstallView} down from membership, or {@code ViewInstalled} up
 * for a static view); emits {@code Suspected} up.
 *
 * <h2>View change and failure</h2>
 * A new view resets every member to "just heard from" and clears suspicions; members outside the view and frames
 * of other views are ignored.
 *
 * <h2>Testing</h2>
 * {@code HeartbeatLayerTest} (beats, probe before suspicion, a reply clears it, one suspicion per view, malformed
 * control) and {@code FailureDetectionProperties} (D1: no suspicion in fault-free runs; a crashed member is
 * suspected by every survivor within the bound).
 */
package io.cairn.layers.heartbeat;
