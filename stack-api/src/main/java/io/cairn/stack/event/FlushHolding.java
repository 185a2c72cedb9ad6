package io.cairn.stack.event;

/**
 * Down, from the flush layer when it reports what it delivered of a view and starts holding that view's deliveries
 * until the cut: what arrives from now on may lie beyond the cut and be discarded, so layers below must not
 * acknowledge it as received (stability stops counting, so safe delivery elsewhere cannot rely on it).
 *
 * @param viewEpoch the view being flushed
 */
public record FlushHolding(long viewEpoch) implements DownEvent {
}
