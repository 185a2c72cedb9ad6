/**
 * {@code fifo}: per-sender FIFO order of multicasts.
 *
 * <h2>Protocol</h2>
 * Each multicast carries the sender's own number in the view; a receiver delivers number {@code next[s]} of
 * sender {@code s} and holds back later ones in a bounded queue until the gap fills (Birman's fbcast; Ensemble
 * {@code chk_fifo} checks the same property). Reliability below guarantees that every gap eventually fills.
 *
 * <h2>Provides / requires</h2>
 * Provides {@code fifo}; requires {@code reliable}.
 *
 * <h2>Parameters</h2>
 * {@code fifo.conf}: max-hold-back (messages per sender; at least the window of the layer providing {@code reliable},
 * checked at assembly),
 * store-chunk-size.
 *
 * <h2>Wire</h2>
 * {@link io.cairn.layers.fifo.FifoHeader}: 8 bytes, the sequence number (0 for point-to-point sends, which pass
 * through).
 *
 * <h2>Events</h2>
 * Consumes casts, deliveries and the view ({@code InstallView} down from membership, or {@code ViewInstalled} up for a
 * static view); emits nothing new.
 *
 * <h2>View change and failure</h2>
 * Numbering restarts at 1 in every view and held-back messages of the old view are dropped: the flush layer makes
 * sure the old view's messages were delivered before the view changes.
 *
 * <h2>Testing</h2>
 * {@code FifoLayerTest} (in order, held back, duplicates, stale view, overflow) and the simulator property F1 in
 * {@code ReliabilityStackProperties}.
 */
package io.cairn.layers.fifo;
