package io.cairn.stack.event;

import io.cairn.api.MemberId;

/**
 * The failure detector suspects a member.
 *
 * @param member the suspected member
 */
public record Suspected(MemberId member) implements UpEvent {
}
