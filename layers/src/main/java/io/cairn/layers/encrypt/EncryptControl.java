package io.cairn.layers.encrypt;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the encrypt layer's control body: the liveness check of a sender session. Little-endian.
 *
 * <pre>
 *   0        1                 9                 17                25
 *  +--------+-----------------+-----------------+-----------------+
 *  | type   | session (64)    | challenge (64)  | floor (64)      |
 *  +--------+-----------------+-----------------+-----------------+
 * </pre>
 * CHALLENGE (1): "is session {@code session} yours, and live?", with a challenge id; RESPONSE (2): "yes: my frames
 * up to counter {@code floor} + 1 (this response) are behind you", echoing the challenge id.
 */
final class EncryptControl {
    /** Type of a challenge. */
    static final byte CHALLENGE = 1;
    /** Type of a response. */
    static final byte RESPONSE = 2;
    static final int TYPE_OFFSET = 0;
    static final int SESSION_OFFSET = 1;
    static final int CHALLENGE_OFFSET = 9;
    static final int FLOOR_OFFSET = 17;
    /** Body length. */
    static final int LENGTH = 25;

    private EncryptControl() {
    }

    static void write(final MutableDirectBuffer b, final int o, final byte type, final long session,
                      final long challenge, final long floor) {
        b.putByte(o + TYPE_OFFSET, type);
        b.putLong(o + SESSION_OFFSET, session, FrameHeader.ORDER);
        b.putLong(o + CHALLENGE_OFFSET, challenge, FrameHeader.ORDER);
        b.putLong(o + FLOOR_OFFSET, floor, FrameHeader.ORDER);
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o + TYPE_OFFSET);
    }

    static long session(final DirectBuffer b, final int o) {
        return b.getLong(o + SESSION_OFFSET, FrameHeader.ORDER);
    }

    static long challenge(final DirectBuffer b, final int o) {
        return b.getLong(o + CHALLENGE_OFFSET, FrameHeader.ORDER);
    }

    static long floor(final DirectBuffer b, final int o) {
        return b.getLong(o + FLOOR_OFFSET, FrameHeader.ORDER);
    }
}
