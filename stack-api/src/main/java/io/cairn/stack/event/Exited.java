package io.cairn.stack.event;

/**
 * This member has left the group (gracefully, or because it lost the primary partition).
 *
 * @param reason why, for people
 */
public record Exited(String reason) implements UpEvent {
}
