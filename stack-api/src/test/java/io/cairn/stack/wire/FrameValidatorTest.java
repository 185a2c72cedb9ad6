package io.cairn.stack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class FrameValidatorTest {
    private static final int GROUP = 77;
    private static final int HEADROOM = 40;
    private static final int MAX = 1500;

    private static UnsafeBuffer frame(final int length, final int flags, final int layerId) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(flags, GROUP, 5, 1, length, layerId);
        return b;
    }

    @Test
    void shouldAcceptWellFormedDataAndControlFrames() {
        assertThat(FrameValidator.check(frame(100, 0, 0), 0, 100, MAX, GROUP, HEADROOM)).isNull();
        assertThat(FrameValidator.check(frame(HEADROOM, FrameHeader.FLAG_UNICAST, 0), 0, HEADROOM, MAX, GROUP,
            HEADROOM)).isNull();
        assertThat(FrameValidator.check(frame(33, FrameHeader.FLAG_CONTROL, 9), 0, 33, MAX, GROUP, HEADROOM))
            .isNull();
    }

    @Test
    void shouldRejectEveryTruncation() {
        final UnsafeBuffer b = frame(100, 0, 0);
        for (int len = 0; len < 100; len++) {
            assertThat(FrameValidator.check(b, 0, len, MAX, GROUP, HEADROOM)).as("length %d", len).isNotNull();
        }
    }

    @Test
    void shouldRejectBadLengthsMagicVersionGroupAndFlags() {
        final UnsafeBuffer b = frame(100, 0, 0);
        assertThat(FrameValidator.check(b, 0, 100, 99, GROUP, HEADROOM)).isEqualTo(FrameValidator.Reject.OVERSIZE);
        for (final int bad : new int[] {-1, 0, 99, 101, Integer.MAX_VALUE}) {
            b.putInt(FrameHeader.FRAME_LENGTH_OFFSET, bad, java.nio.ByteOrder.LITTLE_ENDIAN);
            assertThat(FrameValidator.check(b, 0, 100, MAX, GROUP, HEADROOM)).isEqualTo(FrameValidator.Reject.DECODE);
        }
        assertThat(FrameValidator.check(frame(100, 0, 0), 0, 100, MAX, GROUP + 1, HEADROOM))
            .isEqualTo(FrameValidator.Reject.WRONG_GROUP);
        final UnsafeBuffer magic = frame(100, 0, 0);
        magic.putByte(0, (byte) 0);
        assertThat(FrameValidator.check(magic, 0, 100, MAX, GROUP, HEADROOM)).isEqualTo(FrameValidator.Reject.DECODE);
        final UnsafeBuffer version = frame(100, 0, 0);
        version.putByte(FrameHeader.VERSION_OFFSET, (byte) 9);
        assertThat(FrameValidator.check(version, 0, 100, MAX, GROUP, HEADROOM))
            .isEqualTo(FrameValidator.Reject.DECODE);
        assertThat(FrameValidator.check(frame(100, 0x80, 0), 0, 100, MAX, GROUP, HEADROOM))
            .isEqualTo(FrameValidator.Reject.DECODE);
        assertThat(FrameValidator.check(frame(100, FrameHeader.FLAG_CONTROL, 0), 0, 100, MAX, GROUP, HEADROOM))
            .isEqualTo(FrameValidator.Reject.MALFORMED);
        assertThat(FrameValidator.check(frame(100, 0, 3), 0, 100, MAX, GROUP, HEADROOM))
            .isEqualTo(FrameValidator.Reject.MALFORMED);
        assertThat(FrameValidator.check(frame(39, 0, 0), 0, 39, MAX, GROUP, HEADROOM))
            .isEqualTo(FrameValidator.Reject.MALFORMED);
    }

    @Test
    void shouldNeverThrowOnRandomBytesOrBitFlips() {
        final SplittableRandom rnd = new SplittableRandom(20261125);
        final byte[] raw = new byte[200];
        for (int i = 0; i < 100_000; i++) {
            rnd.nextBytes(raw);
            final int len = rnd.nextInt(raw.length + 1);
            FrameValidator.check(new UnsafeBuffer(raw), 0, len, MAX, GROUP, HEADROOM);
        }
        final UnsafeBuffer good = frame(64, 0, 0);
        int rejected = 0;
        for (int bit = 0; bit < FrameHeader.LENGTH * 8; bit++) {
            final UnsafeBuffer copy = new UnsafeBuffer(good.byteArray().clone());
            copy.putByte(bit / 8, (byte) (copy.getByte(bit / 8) ^ (1 << (bit % 8))));
            rejected += FrameValidator.check(copy, 0, 64, MAX, GROUP, HEADROOM) != null ? 1 : 0;
        }
        // Flips in sender, epoch, the reserved bytes and the unicast flag still give a well-formed header;
        // every other header bit is checked.
        assertThat(rejected).isEqualTo(FrameHeader.LENGTH * 8 - (8 + 8 + 2) * 8 - 1);
    }
}
