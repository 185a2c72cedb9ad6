package io.cairn.stack.event;

/**
 * Stability: every member of the current view has delivered the first {@code stable[i]} multicasts of the member
 * of rank i in this view (counted at the stability layer; every data multicast counts once). The stability layer
 * sends it up (safe delivery, the application); the layers below get the same fact as {@link Trim}.
 *
 * @param viewEpoch the epoch of the view the vector belongs to
 * @param stable    per-rank count of messages received everywhere; owned by the sender, read only
 */
public record Stable(long viewEpoch, long[] stable) implements UpEvent {
}
