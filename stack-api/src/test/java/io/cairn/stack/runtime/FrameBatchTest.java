package io.cairn.stack.runtime;

import io.cairn.stack.spi.FrameBatch;
import io.cairn.stack.wire.FrameHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches of frames handed to a stack whole (a transport's datagram): read in place, in order, before the frames
 * copied into the ring, each released once; no more than a stack takes; none taken, and none kept, once it stops;
 * a length that does not fit ends a batch instead of reading past it.
 */
class FrameBatchTest {
    private final StatsRegistry stats = new StatsRegistry();
    private final StackInputs in = new StackInputs(1 << 16, 1 << 16, 0, FrameHeader.LENGTH,
        stats.counter("rx_dropped"), stats.counter("oversize"));
    private final List<String> read = new ArrayList<>();
    private final MessageHandler handler = (type, buffer, index, length) ->
        read.add((buffer instanceof UnsafeBuffer u && u.byteArray() != null ? "batch" : "ring") + "@" + index + "+"
            + length);

    /** A batch over a heap array (the ring is off-heap, so the handler tells them apart), counting releases. */
    private static final class Batch implements FrameBatch {
        final UnsafeBuffer buffer;
        final int length;
        int released;

        Batch(final int... frameLengths) {
            int total = 0;
            for (final int l : frameLengths) {
                total += l;
            }
            buffer = new UnsafeBuffer(new byte[total]);
            length = total;
            int at = 0;
            for (final int l : frameLengths) {
                buffer.putInt(at + FrameHeader.FRAME_LENGTH_OFFSET, l, FrameHeader.ORDER);
                at += l;
            }
        }

        @Override
        public MutableDirectBuffer buffer() {
            return buffer;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void release() {
            released++;
        }
    }

    @Test
    void shouldReadEachFrameOfABatchInPlaceThenReleaseItOnce() {
        final Batch b = new Batch(40, 33, 64);
        assertThat(in.takesBatches()).isTrue();
        assertThat(in.onBatch(b)).isTrue();
        assertThat(b.released).as("the stack's until read").isZero();

        assertThat(in.readFrames(handler, 256)).isEqualTo(3);
        assertThat(read).containsExactly("batch@0+40", "batch@40+33", "batch@73+64");
        assertThat(b.released).isEqualTo(1);
        assertThat(in.readFrames(handler, 256)).isZero();
        assertThat(b.released).isEqualTo(1);
    }

    @Test
    void shouldReadBatchesBeforeTheRing() {
        // A transport copies into the ring only what came after the batches it could not hand over.
        final Batch b = new Batch(40);
        in.onBatch(b);
        in.onFrame(new UnsafeBuffer(new byte[50]), 0, 50);
        in.readFrames(handler, 256);
        assertThat(read).containsExactly("batch@0+40", "ring@8+50");
    }

    @Test
    void shouldEndABatchAtALengthThatDoesNotFit() {
        final Batch b = new Batch(40, 40);
        b.buffer.putInt(40 + FrameHeader.FRAME_LENGTH_OFFSET, 4000, FrameHeader.ORDER);
        in.onBatch(b);
        in.readFrames(handler, 256);
        assertThat(read).containsExactly("batch@0+40");
        assertThat(b.released).isEqualTo(1);
    }

    @Test
    void shouldTakeNoMoreThanItHoldsAndTakeAgainOnceRead() {
        final List<Batch> taken = new ArrayList<>();
        Batch b = new Batch(32);
        while (in.onBatch(b)) {
            taken.add(b);
            b = new Batch(32);
        }
        assertThat(taken).hasSize(StackInputs.MAX_BATCHES);
        in.readFrames(handler, 1 << 20);
        assertThat(taken).allMatch(x -> x.released == 1);
        assertThat(in.onBatch(b)).isTrue();
    }

    @Test
    void shouldReleaseWhatIsQueuedAndRefuseMoreOnceStopped() {
        final Batch first = new Batch(32);
        final Batch second = new Batch(32, 32);
        in.onBatch(first);
        in.onBatch(second);
        in.releaseBatches();
        assertThat(first.released).isEqualTo(1);
        assertThat(second.released).isEqualTo(1);
        final Batch late = new Batch(32);
        assertThat(in.onBatch(late)).as("refused: the transport copies or drops it, and keeps its buffer").isFalse();
        assertThat(in.readFrames(handler, 256)).isZero();
        assertThat(late.released).isZero();
    }
}
