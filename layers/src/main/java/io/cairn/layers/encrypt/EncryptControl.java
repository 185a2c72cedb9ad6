package io.cairn.layers.encrypt;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the encrypt layer's control body. Little-endian; every type has the same fixed length.
 *
 * <pre>
 *   0        1                 9                 17                25                                   73
 *  +--------+-----------------+-----------------+-----------------+------------------------------------+
 *  | type   | a (64)          | b (64)          | c (64)          | blob (48)                          |
 *  +--------+-----------------+-----------------+-----------------+------------------------------------+
 *  CHALLENGE (1)   a = session asked about, b = challenge id,           blob = challenger's public key (32)
 *  RESPONSE  (2)   a = that session, b = the challenge id echoed,
 *                  c = floor: every frame so far has a counter up to c + 1 (this response),
 *                                                                       blob = responder's public key (32)
 *  KEY       (3)   a = view tag, b = recipient's session,               blob = the view key wrapped for it (48)
 *  KEY_REQUEST (4) a = view tag,                                        blob = requester's public key (32)
 * </pre>
 */
final class EncryptControl {
    /** "Is session a yours, and live?" */
    static final byte CHALLENGE = 1;
    /** "Yes, and my frames up to c + 1 are behind you." */
    static final byte RESPONSE = 2;
    /** A view key, wrapped for one member. */
    static final byte KEY = 3;
    /** "I lack the key of view a." */
    static final byte KEY_REQUEST = 4;
    static final int TYPE_OFFSET = 0;
    static final int A_OFFSET = 1;
    static final int B_OFFSET = 9;
    static final int C_OFFSET = 17;
    static final int BLOB_OFFSET = 25;
    static final int BLOB_LENGTH = ViewKeys.WRAPPED_LENGTH;
    /** Body length. */
    static final int LENGTH = BLOB_OFFSET + BLOB_LENGTH;

    private EncryptControl() {
    }

    static void write(final MutableDirectBuffer b, final int o, final byte type, final long a, final long bValue,
                      final long c, final byte[] blob) {
        b.putByte(o + TYPE_OFFSET, type);
        b.putLong(o + A_OFFSET, a, FrameHeader.ORDER);
        b.putLong(o + B_OFFSET, bValue, FrameHeader.ORDER);
        b.putLong(o + C_OFFSET, c, FrameHeader.ORDER);
        b.setMemory(o + BLOB_OFFSET, BLOB_LENGTH, (byte) 0);
        if (blob != null) {
            b.putBytes(o + BLOB_OFFSET, blob, 0, Math.min(blob.length, BLOB_LENGTH));
        }
    }

    static byte type(final DirectBuffer b, final int o) {
        return b.getByte(o + TYPE_OFFSET);
    }

    static long a(final DirectBuffer b, final int o) {
        return b.getLong(o + A_OFFSET, FrameHeader.ORDER);
    }

    static long b(final DirectBuffer b, final int o) {
        return b.getLong(o + B_OFFSET, FrameHeader.ORDER);
    }

    static long c(final DirectBuffer b, final int o) {
        return b.getLong(o + C_OFFSET, FrameHeader.ORDER);
    }

    static byte[] blob(final DirectBuffer b, final int o, final int length) {
        final byte[] out = new byte[length];
        b.getBytes(o + BLOB_OFFSET, out);
        return out;
    }
}
