package io.cairn.transport.udp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.FrameValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the UDP transport's bundle splitter with arbitrary datagrams, in a buffer exactly as long as the datagram
 * so that any read past it throws. The splitter never throws; the frames it hands over lie in the datagram back to
 * back from its start, each at least a header long and of a group served here; addresses are learnt only from
 * frames the validator accepts; every frame is counted once.
 */
class FrameSplitterFuzzTest {
    private static final int GROUP = FrameHeader.groupIdOf("fuzz");
    private static final int OTHER_GROUP = FrameHeader.groupIdOf("other");

    @FuzzTest(maxDuration = "60s")
    void datagram(final byte[] datagram) {
        final UnsafeBuffer b = new UnsafeBuffer(datagram);
        final FrameSplitter splitter = new FrameSplitter();
        final int[] next = {0};
        final int[] learnt = {0};
        final FrameReceiver receiver = (buffer, offset, length) -> {
            assertThat(offset).as("frames back to back from the datagram's start").isEqualTo(next[0]);
            assertThat(length).isBetween(FrameHeader.LENGTH, datagram.length - offset);
            assertThat(FrameHeader.groupId(buffer, offset)).isIn(GROUP, OTHER_GROUP);
            next[0] = offset + length;
            return true;
        };
        final FrameSplitter.Groups groups = id -> id == GROUP || id == OTHER_GROUP ? receiver : null;
        splitter.split(b, datagram.length, groups, (key, group) -> {
            final int at = next[0];
            assertThat(FrameValidator.check(b, at, b.getInt(at + FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.ORDER),
                Integer.MAX_VALUE, group, FrameHeader.LENGTH)).isNull();
            assertThat(b.getLong(at + FrameHeader.SENDER_OFFSET, FrameHeader.ORDER)).isEqualTo(key);
            learnt[0]++;
        });
        assertThat(splitter.datagrams.get()).isEqualTo(1);
        assertThat(splitter.malformed.get()).isBetween(0L, 1L);
        assertThat(learnt[0]).isLessThanOrEqualTo((int) splitter.frames.get());
        assertThat(splitter.dropped.get()).isZero();
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        final ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        bundle.writeBytes(frame(GROUP, 0, 0, 40));
        bundle.writeBytes(frame(OTHER_GROUP, FrameHeader.FLAG_CONTROL, 9, 33));
        bundle.writeBytes(frame(12345, 0, 0, 32));
        bundle.writeBytes(frame(GROUP, FrameHeader.FLAG_UNICAST, 0, 64));
        SeedCorpus.check(FrameSplitterFuzzTest.class, "datagram", Map.of("one", frame(GROUP, 0, 0, 100),
            "bundle", bundle.toByteArray()));
    }

    private static byte[] frame(final int group, final int flags, final int layerId, final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(flags, group, 42, 1L << 32, length, layerId);
        return b.byteArray();
    }
}
