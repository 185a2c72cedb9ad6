package io.cairn.layers.encrypt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The anti-replay window against a model that remembers every counter, over seeded random arrivals. */
class ReplayWindowTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldTakeEachCounterOnceAndRefuseThoseOlderThanTheWindowWhenArrivalsAreShuffled(final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final int size = 128;
        final ReplayWindow w = new ReplayWindow(size);
        final Set<Long> taken = new HashSet<>();
        long highest = 0;
        for (int i = 0; i < 20_000; i++) {
            // Mostly new counters, some reordered a little, some replayed, some far behind.
            final long c = switch (r.nextInt(4)) {
                case 0 -> highest + 1 + r.nextInt(5);
                case 1 -> Math.max(1, highest - r.nextInt(size));
                case 2 -> Math.max(1, highest - size - r.nextInt(1000));
                default -> highest + 1 + r.nextInt(3 * size);
            };
            final boolean expected = !taken.contains(c) && (c > highest || highest - c < size);
            assertThat(w.isFresh(c)).as("counter " + c + " with highest " + highest).isEqualTo(expected);
            if (expected) {
                w.mark(c);
                taken.add(c);
                highest = Math.max(highest, c);
            }
        }
        assertThat(w.highest()).isEqualTo(highest);
    }

    @Test
    void shouldRefuseEverythingUpToTheFloorWhenStartedAfterIt() {
        final ReplayWindow w = new ReplayWindow(64);
        w.startAfter(100);
        assertThat(w.isFresh(1)).isFalse();
        assertThat(w.isFresh(60)).isFalse();
        assertThat(w.isFresh(100)).isFalse();
        assertThat(w.isFresh(101)).isTrue();
        w.mark(300);
        assertThat(w.isFresh(100)).isFalse();
        assertThat(w.isFresh(299)).isTrue();
        assertThat(w.isFresh(0)).as("counters start at 1").isFalse();
        assertThatThrownBy(() -> new ReplayWindow(100)).hasMessageContaining("multiple of 64");
    }
}
