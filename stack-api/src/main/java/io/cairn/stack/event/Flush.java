package io.cairn.stack.event;

/** Request a flush of the current view (the application wants a stable cut, for example before a checkpoint). */
public record Flush() implements DownEvent {
}
