package io.cairn.stack.event;

/** The layers above (or the application) acknowledge a {@link Blocked}: they will not send until the next view. */
public record BlockOk() implements DownEvent {
}
