package io.cairn.stack.event;

/** A flush has started: casts issued from now on are queued and go out in the next view. */
public record Blocked() implements UpEvent {
}
