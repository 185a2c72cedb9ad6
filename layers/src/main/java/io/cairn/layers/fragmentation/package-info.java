/**
 * {@code fragmentation}: messages larger than a transport frame.
 *
 * <h2>Protocol</h2>
 * A message (the headers of the layers above plus the payload) that does not fit in one frame is cut into
 * fragments that do, each carrying the message id, its offset, the total length, its index and the count
 * (JGroups FRAG2/FRAG3). Receivers copy fragments into a reassembly buffer keyed by (sender, id), in any order,
 * ignoring duplicates, and deliver the whole message when the last one arrives. Sitting below reliability, a lost
 * fragment means a lost message, which reliability retransmits whole. Fragments must tile the message as the sender
 * cuts it (every fragment but the last of one length, at index times that length; the last ends at the total); any
 * other is malformed, so a complete message has every byte written by its own fragments. That lets a few
 * reassembly buffers (at most 4, 512 KiB together, dropped at every view change) be reused after their delivery
 * returns instead of allocating and zeroing one per large message.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code fragmentation}; requires nothing.
 *
 * <h2>Parameters</h2>
 * {@code fragmentation.conf}: max-message-size (larger sends are dropped with a warning, larger claims from
 * peers are rejected before any allocation), max-partial-messages, reassembly-timeout.
 *
 * <h2>Wire</h2>
 * {@link io.cairn.layers.fragmentation.FragmentHeader}: 16 bytes (id, offset, total, index, count); count 1 is
 * an unfragmented message.
 *
 * <h2>Events</h2>
 * Consumes casts, sends, deliveries and the view ({@code InstallView} down from membership, or {@code ViewInstalled} up
 * for a static view).
 *
 * <h2>View change and failure</h2>
 * A new view discards every partial message: fragments of the old view, from departed senders included, can no
 * longer arrive. Partials older than the timeout, or beyond the maximum count, are evicted (counted).
 *
 * <h2>Testing</h2>
 * {@code FragmentationLayerTest} (split sizes, interleaved and reordered fragments of several messages, duplicates,
 * hostile headers, fragments that do not tile, eviction, view change) and the 4x-frame messages of
 * {@code ReliabilityStackProperties}.
 */
package io.cairn.layers.fragmentation;
