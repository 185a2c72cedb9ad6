package io.cairn.toolkit.request;

import io.cairn.api.MemberId;

import java.util.Map;
import java.util.Set;

/**
 * What a request got.
 *
 * @param id       the request's number at its requester
 * @param replies  the replies, by member, in arrival order
 * @param departed members of the request's view that left before replying
 * @param declined members whose responder declined
 */
public record RequestResult(long id, Map<MemberId, byte[]> replies, Set<MemberId> departed, Set<MemberId> declined) {
    /** Copies the collections. */
    public RequestResult {
        replies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(replies));
        departed = Set.copyOf(departed);
        declined = Set.copyOf(declined);
    }
}
