package io.cairn.testkit.faults;

import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LossyLayerTest {
    private static LayerHarness harness(final String settings) {
        return LayerHarness.of(new LossyLayer()).settings("lossy", settings).build();
    }

    @Test
    void shouldDropEveryFrameWhenDropIsOne() {
        final LayerHarness h = harness("drop = 1");
        h.cast("a").send("b", "b");
        assertThat(h.sentDown()).isEmpty();
        assertThat(h.counter("dropped")).isEqualTo(2);
    }

    @Test
    void shouldDuplicateEveryFrameWhenDuplicateIsOne() {
        final LayerHarness h = harness("duplicate = 1");
        h.cast("x");
        assertThat(h.sentDown()).extracting(f -> f.payloadString()).containsExactly("x", "x");
    }

    @Test
    void shouldHoldDelayedFramesUntilTheirTimeSoLaterOnesOvertake() {
        final LayerHarness h = harness("delay = 1, delay-time = 5ms");
        h.cast("first");
        assertThat(h.sentDown()).isEmpty();
        h.advance(4, TimeUnit.MILLISECONDS);
        assertThat(h.sentDown()).isEmpty();
        h.advance(2, TimeUnit.MILLISECONDS);
        assertThat(h.sentDown()).extracting(f -> f.payloadString()).containsExactly("first");
        assertThat(h.sentDown().get(0).isUnicast()).isFalse();
    }

    @Test
    void shouldPassEverythingWithDefaults() {
        final LayerHarness h = harness("");
        h.cast("x").send("b", "y");
        assertThat(h.sentDown()).extracting(f -> f.payloadString()).containsExactly("x", "y");
        assertThat(h.sentDown().get(1).isUnicast()).isTrue();
    }
}
