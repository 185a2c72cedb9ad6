package io.cairn.stack.event;

import io.cairn.api.MemberId;

/**
 * A piece of the application state arriving at a joiner, in order. Deliveries of the view are held until the last
 * chunk has been passed up.
 *
 * @param from  the provider
 * @param data  the bytes (owned by the receiver)
 * @param last  whether this completes the state
 */
public record StateChunk(MemberId from, byte[] data, boolean last) implements UpEvent {
}
