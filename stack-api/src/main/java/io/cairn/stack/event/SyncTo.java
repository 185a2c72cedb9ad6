package io.cairn.stack.event;

/**
 * The flush layer asks the reliability layers below to obtain, from any member holding them, the first
 * {@code counts[i]} multicasts of the member of rank i in the view of epoch {@code viewEpoch}.
 *
 * @param viewEpoch the view
 * @param counts    per-rank counts to reach; owned by the sender, read only
 */
public record SyncTo(long viewEpoch, long[] counts) implements DownEvent {
}
