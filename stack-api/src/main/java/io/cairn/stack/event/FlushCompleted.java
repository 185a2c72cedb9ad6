package io.cairn.stack.event;

/**
 * At the coordinator: every survivor has delivered the same set of messages of the current view for flush
 * {@code attempt}; the next view may be installed.
 *
 * @param attempt the attempt that completed
 */
public record FlushCompleted(long attempt) implements UpEvent {
}
