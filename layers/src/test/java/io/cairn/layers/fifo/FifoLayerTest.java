package io.cairn.layers.fifo;

import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.InstallView;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FifoLayerTest {
    private final LayerHarness h = LayerHarness.of(new FifoLayer()).members("a", "b", "c").settings("fifo", "")
        .build();

    private static LayerHarness.HeaderWriter seq(final long seq) {
        return (b, o) -> FifoHeader.seq(b, o, seq);
    }

    @Test
    void shouldStampCastsWithConsecutiveNumbers() {
        h.cast("x").cast("y");
        assertThat(h.dataSentDown()).extracting(f -> FifoHeader.seq(f.buffer(), h.headerOffset()))
            .containsExactly(1L, 2L);
    }

    @Test
    void shouldHoldBackUntilTheGapFillsThenReleaseInOrder() {
        h.fromPeer("b", seq(3), "3").fromPeer("b", seq(2), "2").fromPeer("c", seq(1), "c1");
        assertThat(h.deliveredPayloads()).containsExactly("c1");
        assertThat(h.counter("gauge.hold_back")).isEqualTo(2);
        h.fromPeer("b", seq(1), "1");
        assertThat(h.deliveredPayloads()).containsExactly("c1", "1", "2", "3");
        assertThat(h.counter("gauge.hold_back")).isZero();
        assertThat(h.deliveredUp().get(2).sender()).isEqualTo(MemberId.keyOf("b", 0));
    }

    @Test
    void shouldDropDuplicatesBothDeliveredAndHeld() {
        h.fromPeer("b", seq(1), "1").fromPeer("b", seq(1), "1 again").fromPeer("b", seq(3), "3")
            .fromPeer("b", seq(3), "3 again");
        assertThat(h.deliveredPayloads()).containsExactly("1");
        assertThat(h.counter("duplicates")).isEqualTo(2);
    }

    @Test
    void shouldPassUnorderedSendsAndRejectStrangers() {
        h.fromPeer("b", 1, true, seq(0), "p2p".getBytes());
        assertThat(h.deliveredPayloads()).containsExactly("p2p");
    }

    @Test
    void shouldCountOverflowBeyondTheHoldBackBound() {
        final LayerHarness small = LayerHarness.of(new FifoLayer()).members("a", "b")
            .settings("fifo", "max-hold-back = 2").build();
        small.fromPeer("b", seq(2), "2").fromPeer("b", seq(5), "5");
        assertThat(small.counter("overflow")).isEqualTo(1);
        small.fromPeer("b", seq(1), "1");
        assertThat(small.deliveredPayloads()).containsExactly("1", "2");
    }

    @Test
    void shouldRestartNumberingAndDropHeldMessagesInANewView() {
        h.fromPeer("b", seq(2), "held");
        h.cast("x");
        h.down(new InstallView(new View(new ViewId(2, new MemberId("a", 0)),
            List.of(new MemberId("a", 0), new MemberId("b", 0)), true)));
        h.clear();
        h.cast("y");
        assertThat(FifoHeader.seq(h.dataSentDown().get(0).buffer(), h.headerOffset())).isEqualTo(1);
        h.fromPeer("b", 2, false, seq(1), "new view".getBytes());
        assertThat(h.deliveredPayloads()).containsExactly("new view");
        assertThat(h.counter("gauge.hold_back")).isZero();
    }
}
