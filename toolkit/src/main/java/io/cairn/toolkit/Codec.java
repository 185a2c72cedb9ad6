package io.cairn.toolkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns keys and values into bytes and back, for the replicated map and other blocks that carry typed values.
 * Encodings must be deterministic: replicas compare and hash what they decode.
 *
 * @param <T> the type
 */
public interface Codec<T> {
    /**
     * @param value a value (never null)
     * @return its bytes
     */
    byte[] encode(T value);

    /**
     * @param bytes what {@link #encode} produced
     * @return the value
     */
    T decode(byte[] bytes);

    /** @return strings as UTF-8 */
    static Codec<String> utf8() {
        return new Codec<>() {
            @Override
            public byte[] encode(final String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(final byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** @return longs as 8 big-endian bytes */
    static Codec<Long> longs() {
        return new Codec<>() {
            @Override
            public byte[] encode(final Long value) {
                return ByteBuffer.allocate(8).putLong(value).array();
            }

            @Override
            public Long decode(final byte[] bytes) {
                return ByteBuffer.wrap(bytes).getLong();
            }
        };
    }

    /** @return byte arrays as they are */
    static Codec<byte[]> bytes() {
        return new Codec<>() {
            @Override
            public byte[] encode(final byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(final byte[] bytes) {
                return bytes;
            }
        };
    }
}
