package io.cairn.stack.event;

/** Request to leave the group gracefully. */
public record Leave() implements DownEvent {
}
