package io.cairn.client;

import java.nio.ByteBuffer;

/**
 * The client protocol over TCP. Every frame is {@code int length} (of what follows) then {@code byte type}:
 * <ul>
 *   <li>HELLO (client to gateway): client id (two longs).</li>
 *   <li>WELCOME (gateway to client): the member's name (UTF-8); the gateway's member is in a primary view.</li>
 *   <li>REFUSE (gateway to client): why (UTF-8); the client tries another member.</li>
 *   <li>CAST (client to gateway): sequence number, highest sequence number of which it has every reply, payload.</li>
 *   <li>REPLY (gateway to client): sequence number, reply.</li>
 * </ul>
 * The gateway casts a CAST into the group as an envelope: a magic byte, client id, sequence number, acknowledged
 * sequence number, payload.
 */
final class Wire {
    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REFUSE = 3;
    static final byte CAST = 4;
    static final byte REPLY = 5;
    /** First byte of the envelope a gateway casts into the group. */
    static final byte ENVELOPE = 0x4b;
    static final int ENVELOPE_HEADER = 1 + 8 + 8 + 8 + 8;
    /** The largest frame either side accepts (the group's own limit on payloads is usually lower). */
    static final int MAX_FRAME = 16 << 20;

    private Wire() {
    }

    static ByteBuffer frame(final byte type, final int bodyLength) {
        final ByteBuffer b = ByteBuffer.allocate(4 + 1 + bodyLength);
        b.putInt(1 + bodyLength).put(type);
        return b;
    }

    static byte[] envelope(final ClientId id, final long seq, final long acked, final byte[] payload, final int offset,
                           final int length) {
        return ByteBuffer.allocate(ENVELOPE_HEADER + length).put(ENVELOPE).putLong(id.hi()).putLong(id.lo())
            .putLong(seq).putLong(acked).put(payload, offset, length).array();
    }
}
