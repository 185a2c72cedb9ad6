package io.cairn.transport.udp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.FrameValidator;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the UDP transport's bundle splitter with arbitrary datagrams, in a buffer exactly as long as the datagram
 * so that any read past it throws. The splitter never throws, and does what a model walk of the datagram says: the
 * frames of served groups, back to back from its start up to the first badly framed one, go to their stacks in
 * order; senders (sealers of sealed frames) are learnt only from frames the validator accepts; each frame is
 * counted once.
 */
class FrameSplitterFuzzTest {
    private static final int GROUP = FrameHeader.groupIdOf("fuzz");
    private static final int OTHER_GROUP = FrameHeader.groupIdOf("other");

    @FuzzTest(maxDuration = "60s")
    void datagram(final byte[] datagram) {
        final UnsafeBuffer b = new UnsafeBuffer(datagram);
        final FrameSplitter splitter = new FrameSplitter();
        final List<Long> handed = new ArrayList<>();
        final List<Long> learnt = new ArrayList<>();
        final FrameReceiver receiver = (buffer, offset, length) -> {
            assertThat(length).isBetween(FrameHeader.LENGTH, datagram.length - offset);
            handed.add((long) offset << 32 | length);
            return true;
        };
        final FrameSplitter.Groups groups = id -> id == GROUP || id == OTHER_GROUP ? receiver : null;
        splitter.received();
        splitter.split(b, 0, datagram.length, groups, (key, group) -> learnt.add(key), FrameSplitter.Full.WAIT);
        // On a stack's own thread a full queue holds a frame, and the split resumes there: the same frames, in the
        // same order, each handed once. This receiver refuses the first offer of every frame; a sender is learnt
        // before each offer, so twice.
        final FrameSplitter holding = new FrameSplitter();
        final List<Long> handedLater = new ArrayList<>();
        final List<Long> learntLater = new ArrayList<>();
        final java.util.Set<Integer> refusedOnce = new java.util.HashSet<>();
        final FrameReceiver refusing = (buffer, offset, length) -> {
            if (refusedOnce.add(offset)) {
                return false;
            }
            handedLater.add((long) offset << 32 | length);
            return true;
        };
        int resumeAt = 0;
        int resumes = 0;
        do {
            final int from = resumeAt;
            resumeAt = holding.split(b, from, datagram.length, id -> id == GROUP || id == OTHER_GROUP ? refusing : null,
                (key, group) -> learntLater.add(key), FrameSplitter.Full.HOLD);
            assertThat(resumeAt).isBetween(from, datagram.length);
            resumes++;
        } while (resumeAt < datagram.length);
        assertThat(handedLater).isEqualTo(handed);
        assertThat(learntLater).isEqualTo(learnt.stream().flatMap(k -> java.util.stream.Stream.of(k, k)).toList());
        assertThat(holding.frames.get()).isEqualTo(splitter.frames.get());
        assertThat(holding.dropped.get()).isZero();
        assertThat(resumes).isEqualTo(handed.size() + 1);
        // DROP: a refused frame is dropped and counted, and the split goes on.
        final FrameSplitter dropping = new FrameSplitter();
        final List<Long> kept = new ArrayList<>();
        dropping.split(b, 0, datagram.length, id -> id == GROUP || id == OTHER_GROUP
            ? (FrameReceiver) (buffer, offset, length) -> offset % 2 == 0 && kept.add((long) offset << 32 | length)
            : null, (key, group) -> { }, FrameSplitter.Full.DROP);
        assertThat(kept).isEqualTo(handed.stream().filter(f -> (f >>> 32) % 2 == 0).toList());
        assertThat(dropping.dropped.get()).isEqualTo(handed.size() - kept.size());
        assertThat(dropping.frames.get()).isEqualTo(handed.size());

        // The model: frames back to back from the start, up to the first that is not well framed.
        final List<Long> frames = new ArrayList<>();
        final List<Long> valid = new ArrayList<>();
        int unknown = 0;
        int at = 0;
        while (at < datagram.length) {
            final int remaining = datagram.length - at;
            final int length = remaining < FrameHeader.LENGTH ? 0 : b.getInt(at + FrameHeader.FRAME_LENGTH_OFFSET,
                FrameHeader.ORDER);
            if (remaining < FrameHeader.LENGTH || b.getShort(at, FrameHeader.ORDER) != FrameHeader.MAGIC
                || length < FrameHeader.LENGTH || length > remaining) {
                break;
            }
            final int group = FrameHeader.groupId(b, at);
            if (group == GROUP || group == OTHER_GROUP) {
                frames.add((long) at << 32 | length);
                // The sender of a valid plain frame, the sealer of a sealed one whose clear header is valid.
                final long peer = (b.getByte(at + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_SEALED) != 0
                    ? length >= FrameHeader.SEALER_OFFSET + 8
                    && FrameValidator.checkSealed(b, at, length, Integer.MAX_VALUE, group) == null
                    ? b.getLong(at + FrameHeader.SEALER_OFFSET, FrameHeader.ORDER) : 0
                    : FrameValidator.check(b, at, length, Integer.MAX_VALUE, group, FrameHeader.LENGTH) == null
                    ? b.getLong(at + FrameHeader.SENDER_OFFSET, FrameHeader.ORDER) : 0;
                if (peer != 0) {
                    valid.add(peer);
                }
            } else {
                unknown++;
            }
            at += length;
        }
        assertThat(handed).as("frames handed to the stacks (offset << 32 | length)").isEqualTo(frames);
        assertThat(learnt).as("senders learnt, only from valid frames").isEqualTo(valid);
        assertThat(splitter.frames.get()).isEqualTo(frames.size());
        assertThat(splitter.unknownGroup.get()).isEqualTo(unknown);
        assertThat(splitter.malformed.get()).isEqualTo(at < datagram.length ? 1 : 0);
        assertThat(splitter.datagrams.get()).isEqualTo(1);
        assertThat(splitter.dropped.get()).isZero();
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        final ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        bundle.writeBytes(frame(GROUP, 0, 0, 40));
        bundle.writeBytes(frame(OTHER_GROUP, FrameHeader.FLAG_CONTROL, 9, 33));
        bundle.writeBytes(frame(12345, 0, 0, 32));
        bundle.writeBytes(frame(GROUP, FrameHeader.FLAG_UNICAST, 0, 64));
        bundle.writeBytes(frame(GROUP, FrameHeader.FLAG_SEALED, 0, 80));
        SeedCorpus.check(FrameSplitterFuzzTest.class, "datagram", Map.of("one", frame(GROUP, 0, 0, 100),
            "bundle", bundle.toByteArray()));
    }

    private static byte[] frame(final int group, final int flags, final int layerId, final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(flags, group, 42, 1L << 32, length, layerId);
        return b.byteArray();
    }
}
