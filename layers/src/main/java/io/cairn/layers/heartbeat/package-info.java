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
