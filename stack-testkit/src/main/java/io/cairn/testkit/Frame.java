package io.cairn.testkit;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A copy of one frame that left a stack (or reached its top), for assertions.
 *
 * @param bytes       the whole frame (header, layer headers, payload)
 * @param destination destination key for unicast frames, else 0
 * @param payloadOffset where the payload starts in {@code bytes}
 * @param order       the total-order number it was delivered with (deliveries only; 0 otherwise)
 */
public record Frame(byte[] bytes, long destination, int payloadOffset, long order) {
    /** @return a buffer over the bytes, to read headers with the layer's flyweights */
    public UnsafeBuffer buffer() {
        return new UnsafeBuffer(bytes);
    }

    /** @return whether it is a control frame */
    public boolean isControl() {
        return (bytes[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_CONTROL) != 0;
    }

    /** @return whether it was sent point-to-point */
    public boolean isUnicast() {
        return (bytes[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_UNICAST) != 0;
    }

    /** @return the sender key from the frame header */
    public long sender() {
        return new FrameHeader().wrap(buffer(), 0).sender();
    }

    /** @return the view epoch from the frame header */
    public long viewEpoch() {
        return new FrameHeader().wrap(buffer(), 0).viewEpoch();
    }

    /** @return a copy of the payload (for control frames, the body) */
    public byte[] payload() {
        return Arrays.copyOfRange(bytes, payloadOffset, bytes.length);
    }

    /** @return the payload as a string */
    public String payloadString() {
        return new String(payload(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
