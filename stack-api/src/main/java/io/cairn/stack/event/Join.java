package io.cairn.stack.event;

import java.util.List;

/**
 * Request to join the group, contacting the given members (empty: whatever the transport discovers).
 *
 * @param contacts members or addresses to contact first
 */
public record Join(List<String> contacts) implements DownEvent {
    /** Copies the contact list. */
    public Join {
        contacts = List.copyOf(contacts);
    }
}
