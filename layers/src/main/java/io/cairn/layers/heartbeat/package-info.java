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
 * <h2>Shared by a node's groups</h2>
 * Liveness is a property of a process, not of a group, so a node's groups pool it
 * ({@link io.cairn.stack.spi.LayerContext#peers}): a frame heard from a member in any of the node's groups is a sign
 * of life in all of them; a group skips its heartbeat when every other member of its view was sent one within the
 * interval by another group (so two nodes sharing a thousand idle groups exchange about one heartbeat per interval,
 * not a thousand); and a suspicion confirmed by probes in one group is taken up by the others, without probes of
 * their own, if the member has stayed silent since and the suspicion came during their current view. Sharing needs
 * the same member keys at both ends (the same incarnation in both groups); a stack run on its own shares with
 * nobody and behaves exactly as an unshared detector. Heartbeats of another view are not evidence (a member that
 * installed a view without us must still be suspected). What this detects is a silent process: a node whose stack
 * for one group is wedged while its others run is not suspected in that group.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code failure-detection}; requires nothing.
 *
 * <h2>Parameters</h2>
 * {@code heartbeat.conf}: interval, timeout, probe-interval, probes. A crashed member is suspected after at most
 * {@code timeout + (probes + 1) x probe-interval} plus one tick.
 *
 * <h2>Wire</h2>
 * No data header. Control frame {@link io.cairn.layers.heartbeat.HeartbeatControl}: type and view tag (9 bytes).
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
