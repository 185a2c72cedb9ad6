package io.cairn.stack.store;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceWindowTest {
    @Test
    void shouldAdvanceContiguouslyAndRefuseDuplicatesAndOutOfWindow() {
        final SequenceWindow w = new SequenceWindow(64);
        assertThat(w.mark(1)).isTrue();
        assertThat(w.mark(1)).isFalse();
        assertThat(w.mark(3)).isTrue();
        assertThat(w.contiguous()).isEqualTo(1);
        assertThat(w.hasGaps()).isTrue();
        final long[] r = new long[8];
        assertThat(w.missing(r, 4)).isEqualTo(1);
        assertThat(r[0]).isEqualTo(2);
        assertThat(r[1]).isEqualTo(2);
        assertThat(w.mark(2)).isTrue();
        assertThat(w.contiguous()).isEqualTo(3);
        assertThat(w.mark(3 + 65)).isFalse();
        w.seen(10);
        assertThat(w.missing(r, 4)).isEqualTo(1);
        assertThat(r[0]).isEqualTo(4);
        assertThat(r[1]).isEqualTo(10);
    }

    @Test
    void shouldAgreeWithAModelUnderRandomArrivals() {
        final SplittableRandom rnd = new SplittableRandom(99);
        final SequenceWindow w = new SequenceWindow(128);
        final TreeSet<Long> got = new TreeSet<>();
        long c = 0;
        for (int i = 0; i < 200_000; i++) {
            final long seq = 1 + w.contiguous() + rnd.nextInt(200);
            final boolean fresh = seq <= c + w.window() && !got.contains(seq);
            assertThat(w.mark(seq)).isEqualTo(fresh);
            if (fresh) {
                got.add(seq);
            }
            while (got.contains(c + 1)) {
                got.remove(++c);
            }
            assertThat(w.contiguous()).isEqualTo(c);
        }
    }
}
