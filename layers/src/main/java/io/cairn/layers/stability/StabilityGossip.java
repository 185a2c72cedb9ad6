package io.cairn.layers.stability;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The stability gossip control frame: what one member has delivered from each member of the view. Little-endian.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                       view epoch (64)                         |
 *  +-------------------------------+-------------------------------+
 *  |   member count n (16)         |  n x delivered count (64) ... |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
final class StabilityGossip {
    static final int EPOCH_OFFSET = 0;
    static final int COUNT_OFFSET = 8;
    static final int VECTOR_OFFSET = 10;

    private StabilityGossip() {
    }

    static int length(final int n) {
        return VECTOR_OFFSET + 8 * n;
    }

    static boolean validate(final DirectBuffer b, final int o, final int length, final int expectedN) {
        return length >= VECTOR_OFFSET && (b.getShort(o + COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == expectedN
            && length == length(expectedN);
    }

    static long epoch(final DirectBuffer b, final int o) {
        return b.getLong(o + EPOCH_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    static long get(final DirectBuffer b, final int o, final int i) {
        return b.getLong(o + VECTOR_OFFSET + 8 * i, ByteOrder.LITTLE_ENDIAN);
    }

    static void write(final MutableDirectBuffer b, final int o, final long epoch, final long[] vector) {
        b.putLong(o + EPOCH_OFFSET, epoch, ByteOrder.LITTLE_ENDIAN);
        b.putShort(o + COUNT_OFFSET, (short) vector.length, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vector.length; i++) {
            b.putLong(o + VECTOR_OFFSET + 8 * i, vector[i], ByteOrder.LITTLE_ENDIAN);
        }
    }
}
