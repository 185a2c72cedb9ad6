package io.cairn.stack.event;

/**
 * The stability layer's word to the layers below it: every member of the view of epoch {@code viewEpoch} has
 * delivered the first {@code stable[i]} multicasts of the member of rank i, so copies kept to retransmit them can
 * go. Above stability, the same fact travels up as {@link Stable}.
 *
 * @param viewEpoch the epoch of the view the vector belongs to
 * @param stable    per-rank count of messages received everywhere; owned by the sender, read only
 */
public record Trim(long viewEpoch, long[] stable) implements DownEvent {
}
