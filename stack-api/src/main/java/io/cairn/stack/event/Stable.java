package io.cairn.stack.event;

/**
 * Stability: every member of the current view has received the first {@code stable[i]} messages of the member
 * of rank i (per-view sequence numbers). Layers that keep copies for retransmission may discard them.
 *
 * @param viewEpoch the epoch of the view the vector belongs to
 * @param stable    per-rank count of messages received everywhere; owned by the sender, read only
 */
public record Stable(long viewEpoch, long[] stable) implements UpEvent {
}
