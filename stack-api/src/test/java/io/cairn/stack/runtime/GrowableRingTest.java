package io.cairn.stack.runtime;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The growable ring: producers racing with growth lose nothing and keep their order; a message bigger than the
 * current ring makes it grow to fit.
 */
class GrowableRingTest {
    @Test
    void shouldKeepEveryProducersMessagesInOrderWhileGrowing() throws Exception {
        // Rounds with fresh rings: each grows five times, under three producers racing the consumer.
        for (int round = 0; round < 20; round++) {
            growingUnderProducers();
        }
    }

    private static void growingUnderProducers() throws Exception {
        final GrowableRing ring = new GrowableRing(1024, 1 << 20);
        final int producers = 3;
        final int each = 20_000;
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int id = p;
            final Thread t = new Thread(() -> {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[200]);
                try {
                    go.await();
                } catch (final InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    b.putInt(0, id);
                    b.putInt(4, i);
                    // Sizes vary so growth is also asked for by messages that do not fit (into a ring that may be
                    // empty, while others write to it).
                    final int length = i % 997 == 0 ? 200 : 8 + (i % 4) * 8;
                    while (true) {
                        final GrowableRing.Ring r = ring.enter();
                        final boolean ok;
                        try {
                            ok = length <= r.buffer.maxMsgLength() && r.buffer.write(1, b, 0, length);
                        } finally {
                            ring.leave(r);
                        }
                        if (ok) {
                            break;
                        }
                        if (!ring.full(r, length)) {
                            Thread.onSpinWait(); // at its largest and full: wait for the consumer
                        }
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        final int[] next = new int[producers];
        final long[] read = {0};
        go.countDown();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (read[0] < (long) producers * each && System.nanoTime() < deadline) {
            ring.read((type, buffer, index, length) -> {
                final int p = buffer.getInt(index);
                assertThat(buffer.getInt(index + 4)).as("producer " + p + " in order").isEqualTo(next[p]);
                next[p]++;
                read[0]++;
            }, 1000);
        }
        for (final Thread t : threads) {
            t.join(10_000);
        }
        assertThat(read[0]).isEqualTo((long) producers * each);
        assertThat(ring.capacity()).as("it grew under load").isGreaterThan(1024);
    }

    @Test
    void shouldGrowAtOnceForAMessageThatDoesNotFit() {
        final GrowableRing ring = new GrowableRing(1024, 1 << 16);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[4000]);
        final GrowableRing.Ring r = ring.enter();
        final boolean fits = 4000 <= r.buffer.maxMsgLength();
        ring.leave(r);
        assertThat(fits).isFalse();
        assertThat(ring.full(r, 4000)).as("the producer grows the ring itself").isTrue();
        assertThat(ring.capacity() / 8).isGreaterThanOrEqualTo(4000);
        final GrowableRing.Ring bigger = ring.enter();
        assertThat(bigger.buffer.write(1, big, 0, 4000)).isTrue();
        ring.leave(bigger);
        final int[] got = {0};
        ring.read((t, b, i, l) -> got[0] = l, 10);
        assertThat(got[0]).isEqualTo(4000);
        assertThat(ring.maxMsgLength()).isEqualTo((1 << 16) / 8);
    }
}
