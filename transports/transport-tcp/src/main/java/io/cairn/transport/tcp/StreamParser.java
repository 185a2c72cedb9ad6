package io.cairn.transport.tcp;

import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Splits what a connection has read into its HELLO and then frames back to back, each delimited by the length
 * field of its header. Stateless and never throws, so it can be fuzzed without sockets; the connection's owner
 * acts on what it finds through a {@link Handler}.
 *
 * <pre>
 *  HELLO (16 bytes, once per direction)       frame (frame length bytes, see {@link FrameHeader})
 *  +---------------------+-----------------+  +--------------------------------------------------+
 *  | magic 0xCA1E7C90 (32) | listen port (32) |  | magic | ... | frame length (32) | ... | body    |
 *  | node key (64)                          |  +--------------------------------------------------+
 *  +----------------------------------------+
 * </pre>
 */
final class StreamParser {
    /** What {@link #parse} returns when the stream cannot go on (the connection is to be dropped). */
    static final int DROP = -1;

    /** What the parser found, in stream order. */
    interface Handler {
        /**
         * @param peerKey the node key in the peer's HELLO
         * @return false to stop here and drop the connection
         */
        boolean hello(long peerKey);

        /**
         * @param buffer the read buffer
         * @param offset frame start
         * @param length frame length, between {@link FrameHeader#LENGTH} and the maximum
         * @return false when the frame was not taken: parsing stops before it, to offer it again later
         */
        boolean frame(DirectBuffer buffer, int offset, int length);

        /** The stream is malformed (bad magic, impossible length) and cannot be resynchronised. */
        void malformed();
    }

    private StreamParser() {
    }

    /**
     * @param b             what was read
     * @param end           bytes of it available (from 0)
     * @param helloReceived whether the peer's HELLO was parsed before
     * @param maxFrame      longest frame accepted
     * @param h             told of the HELLO and each frame
     * @return the offset of the first byte not consumed (an incomplete HELLO or frame, or one not taken), or
     *     {@link #DROP}
     */
    static int parse(final DirectBuffer b, final int end, final boolean helloReceived, final int maxFrame,
                     final Handler h) {
        int pos = 0;
        boolean hello = helloReceived;
        while (true) {
            final int remaining = end - pos;
            if (!hello) {
                if (remaining < Connection.HELLO_LENGTH) {
                    return pos;
                }
                if (b.getInt(pos, ByteOrder.LITTLE_ENDIAN) != Connection.HELLO_MAGIC) {
                    h.malformed();
                    return DROP;
                }
                if (!h.hello(b.getLong(pos + 8, ByteOrder.LITTLE_ENDIAN))) {
                    return DROP;
                }
                hello = true;
                pos += Connection.HELLO_LENGTH;
                continue;
            }
            if (remaining < FrameHeader.LENGTH) {
                return pos;
            }
            final int length = b.getInt(pos + FrameHeader.FRAME_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (b.getShort(pos + FrameHeader.MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != FrameHeader.MAGIC
                || length < FrameHeader.LENGTH || length > maxFrame) {
                h.malformed();
                return DROP;
            }
            if (remaining < length || !h.frame(b, pos, length)) {
                return pos;
            }
            pos += length;
        }
    }
}
