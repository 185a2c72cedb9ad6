/**
 * The public API: a {@link io.cairn.api.Node} per process, a {@link io.cairn.api.Group} per joined group, a
 * {@link io.cairn.api.GroupListener} for upcalls, and {@link io.cairn.api.OrderedRegion} for applications
 * that process upcalls on a thread pool.
 */
package io.cairn.api;
