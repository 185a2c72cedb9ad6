package io.cairn.transport.tcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the TCP transport's stream parser the way a connection drives it: the input (after one byte choosing how
 * the stream is cut into reads) arrives read by read in a buffer of the connection's size, is parsed, compacted,
 * and parsed again. The parser never throws; each frame it hands over lies in the stream, within bounds, right
 * after the previous one; a stream it does not drop never wedges (a full buffer always holds a frame to take).
 */
class StreamParserFuzzTest {
    private static final int MAX_FRAME = 1024;

    @FuzzTest(maxDuration = "60s")
    void stream(final byte[] input) {
        if (input.length == 0) {
            return;
        }
        final int readSize = 1 + (input[0] & 0xFF);
        final byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        final ByteBuffer in = ByteBuffer.allocate(2 * MAX_FRAME).order(ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer view = new UnsafeBuffer(in);
        final Recorder r = new Recorder();
        int read = 0;
        while (read < stream.length || r.refused) {
            final int n = Math.min(Math.min(readSize, in.remaining()), stream.length - read);
            in.put(stream, read, n);
            read += n;
            in.flip();
            final int end = in.limit();
            final int pos = StreamParser.parse(view, end, r.hellos > 0, MAX_FRAME, r);
            if (pos == StreamParser.DROP) {
                assertThat(r.malformed + r.selfHello).isEqualTo(1);
                return;
            }
            assertThat(pos).isBetween(0, end);
            if (n == 0 && pos == 0 && !r.refused) {
                fail("the stream wedged: %d bytes buffered, none parsed, nothing more fits", end);
            }
            in.position(pos);
            in.compact();
        }
        assertThat(r.hellos).isLessThanOrEqualTo(1);
        assertThat(r.frames.size() + (r.hellos == 1 ? Connection.HELLO_LENGTH : 0) + in.position())
            .as("frames, HELLO and the unparsed tail are the whole stream").isEqualTo(stream.length);
        assertThat(r.frames.toByteArray()).isEqualTo(Arrays.copyOfRange(stream,
            r.hellos == 1 ? Connection.HELLO_LENGTH : 0, stream.length - in.position()));
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        final ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(40);
        final ByteBuffer hello = ByteBuffer.allocate(Connection.HELLO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        Connection.writeHello(hello, 42, 7000);
        s.writeBytes(hello.array());
        s.writeBytes(frame(FrameHeader.LENGTH));
        s.writeBytes(frame(100));
        s.writeBytes(frame(MAX_FRAME));
        final byte[] partial = Arrays.copyOf(s.toByteArray(), s.size() - 10);
        SeedCorpus.check(StreamParserFuzzTest.class, "stream", Map.of("hello-frames", s.toByteArray(),
            "partial", partial));
    }

    private static byte[] frame(final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(0, 77, 42, 1, length, 0);
        return b.byteArray();
    }

    /** Records what the parser hands over; refuses every third frame once, as a full stack would. */
    private static final class Recorder implements StreamParser.Handler {
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int hellos;
        int selfHello;
        int malformed;
        int offered;
        boolean refused;

        @Override
        public boolean hello(final long peerKey) {
            hellos++;
            if (peerKey == 0) {
                selfHello++;
                return false;
            }
            return true;
        }

        @Override
        public boolean frame(final DirectBuffer buffer, final int offset, final int length) {
            assertThat(length).isBetween(FrameHeader.LENGTH, MAX_FRAME);
            assertThat(offset).isNotNegative();
            assertThat(offset + length).isLessThanOrEqualTo(buffer.capacity());
            assertThat(buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN)).isEqualTo(FrameHeader.MAGIC);
            if (!refused && ++offered % 3 == 0) {
                refused = true;
                return false;
            }
            refused = false;
            final byte[] f = new byte[length];
            buffer.getBytes(offset, f);
            frames.writeBytes(f);
            return true;
        }

        @Override
        public void malformed() {
            malformed++;
        }
    }
}
