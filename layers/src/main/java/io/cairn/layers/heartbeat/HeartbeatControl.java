package io.cairn.layers.heartbeat;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The failure detector's control frames. Little-endian.
 *
 * <pre>
 *  +---------------+-----------------------------------------------+
 *  |  type (8)     |  1 = HEARTBEAT (multicast), 2 = PROBE,        |
 *  |               |  3 = PROBE_REPLY (point-to-point)             |
 *  +---------------+-----------------------------------------------+
 *  |                       view tag (64)                           |
 *  +---------------------------------------------------------------+
 *  |          sender node's generation (64), only when shared      |
 *  +---------------------------------------------------------------+
 * </pre>
 * Without shared liveness the frame is 9 bytes, as it always was; with it, 17.
 */
final class HeartbeatControl {
    static final byte HEARTBEAT = 1;
    static final byte PROBE = 2;
    static final byte PROBE_REPLY = 3;
    static final int LENGTH = 9;
    static final int LENGTH_WITH_GENERATION = 17;

    private HeartbeatControl() {
    }

    static void write(final MutableDirectBuffer b, final int o, final byte type, final long viewTag) {
        b.putByte(o, type);
        b.putLong(o + 1, viewTag, FrameHeader.ORDER);
    }

    static void writeGeneration(final MutableDirectBuffer b, final int o, final long generation) {
        b.putLong(o + LENGTH, generation, FrameHeader.ORDER);
    }

    static long generation(final DirectBuffer b, final int o) {
        return b.getLong(o + LENGTH, FrameHeader.ORDER);
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o);
    }

    static long viewTag(final DirectBuffer b, final int o) {
        return b.getLong(o + 1, FrameHeader.ORDER);
    }
}
