package io.cairn.stack.event;

/**
 * The failure detector suspects a member.
 *
 * @param member the suspected member
 */
public record Suspected(MemberId member) implements UpEvent {
}
