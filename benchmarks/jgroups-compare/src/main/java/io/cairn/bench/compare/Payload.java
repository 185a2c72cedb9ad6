package io.cairn.bench.compare;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The header every benchmark message starts with (little-endian): the intended send time (nanoTime of the
 * schedule slot), the sender's index, and a tag that names the measurement and whether the message falls in its
 * measured window. The rest of the payload is zeros.
 */
final class Payload {
    static final int HEADER = 16;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Payload() {
    }

    static void write(final byte[] b, final long intended, final int sender, final int tag) {
        LONG.set(b, 0, intended);
        INT.set(b, 8, sender);
        INT.set(b, 12, tag);
    }

    static long intended(final byte[] b, final int off) {
        return (long) LONG.get(b, off);
    }

    static int sender(final byte[] b, final int off) {
        return (int) INT.get(b, off + 8);
    }

    static int tag(final byte[] b, final int off) {
        return (int) INT.get(b, off + 12);
    }

    /** A measurement's tags: {@code id << 1} for warm-up messages, {@code id << 1 | 1} for measured ones. */
    static int tag(final int measurement, final boolean measured) {
        return measurement << 1 | (measured ? 1 : 0);
    }
}
