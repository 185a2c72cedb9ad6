package io.cairn.layers.total;

import io.cairn.stack.event.Blocked;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SequencerTotalLayerTest {
    private static final MemberId A = new MemberId("a", 0);
    private static final MemberId B = new MemberId("b", 0);
    private static final MemberId C = new MemberId("c", 0);

    private static LayerHarness harness(final String self) {
        return LayerHarness.of(new SequencerTotalLayer()).members("a", "b", "c").self(self)
            .settings("sequencer-total", "").build();
    }

    private static final LayerHarness.HeaderWriter DATA = (b, o) -> TotalHeader.kind(b, o, TotalHeader.DATA);
    private static final LayerHarness.HeaderWriter ORDER = (b, o) -> TotalHeader.kind(b, o, TotalHeader.ORDER);

    private static byte[] order(final long base, final int... rankThenK) {
        final int n = rankThenK.length / 2;
        final int[] ranks = new int[n];
        final long[] ks = new long[n];
        for (int i = 0; i < n; i++) {
            ranks[i] = rankThenK[2 * i];
            ks[i] = rankThenK[2 * i + 1];
        }
        final byte[] body = new byte[TotalHeader.orderLength(n)];
        TotalHeader.writeOrder(new UnsafeBuffer(body), 0, base, ranks, ks, n);
        return body;
    }

    private static List<Frame> orders(final LayerHarness h) {
        return h.dataSentDown().stream().filter(f -> TotalHeader.kind(f.buffer(), h.headerOffset())
            == TotalHeader.ORDER).toList();
    }

    @Test
    void shouldOrderCastsAsTheyArriveWhenSequencer() {
        final LayerHarness h = harness("a");
        assertThat(orders(h)).as("an empty first batch tells newcomers the base").hasSize(1);
        h.fromPeer("b", DATA, "b1").fromPeer("c", DATA, "c1");
        // Each frame arrives in its own duty cycle here, so each gets its own batch.
        assertThat(orders(h)).hasSize(3);
        final Frame first = orders(h).get(1);
        final Frame second = orders(h).get(2);
        assertThat(TotalHeader.base(first.buffer(), first.payloadOffset())).isEqualTo(1);
        assertThat(TotalHeader.rank(first.buffer(), first.payloadOffset(), 0)).isEqualTo(1);
        assertThat(TotalHeader.base(second.buffer(), second.payloadOffset())).isEqualTo(2);
        assertThat(TotalHeader.rank(second.buffer(), second.payloadOffset(), 0)).isEqualTo(2);
        assertThat(TotalHeader.k(second.buffer(), second.payloadOffset(), 0)).isEqualTo(1);
        assertThat(h.deliveredUp()).as("even the sequencer waits for its own order batch").isEmpty();
    }

    @Test
    void shouldDeliverInTheSequencersOrderNotInArrivalOrder() {
        final LayerHarness h = harness("b");
        h.fromPeer("c", DATA, "c1").fromPeer("a", DATA, "a1");
        assertThat(h.deliveredUp()).isEmpty();
        h.fromPeer("a", ORDER, order(1, 0, 1, 2, 1));
        assertThat(h.deliveredPayloads()).containsExactly("a1", "c1");
        assertThat(h.deliveredUp()).extracting(Frame::order).containsExactly(1L, 2L);
    }

    @Test
    void shouldWaitForACastItsOrderNamesThenDeliverInOrder() {
        final LayerHarness h = harness("b");
        h.fromPeer("a", ORDER, order(1, 2, 1, 0, 1));
        h.fromPeer("a", DATA, "a1");
        assertThat(h.deliveredUp()).as("c1 comes first in the order and is not here yet").isEmpty();
        h.fromPeer("c", DATA, "c1");
        assertThat(h.deliveredPayloads()).containsExactly("c1", "a1");
    }

    @Test
    void shouldCompleteTheOrderDeterministicallyAtAViewChangeSkippingWhatNobodyHas() {
        final LayerHarness h = harness("b");
        h.fromPeer("c", DATA, "c1").fromPeer("c", DATA, "c2").fromPeer("a", DATA, "a1");
        h.fromPeer("a", ORDER, order(1, 2, 1, 1, 7));
        assertThat(h.deliveredPayloads()).containsExactly("c1");
        h.up(new ViewInstalled(new View(new ViewId(2, B), List.of(B, C), true)));
        assertThat(h.deliveredPayloads()).as("ordered first (b's 7th never came), then by rank and position")
            .containsExactly("c1", "a1", "c2");
        assertThat(h.deliveredUp()).extracting(Frame::order).containsExactly(1L, 2L, 3L);
        assertThat(h.counter("skipped_missing")).isEqualTo(1);
        assertThat(h.eventsUp().get(h.eventsUp().size() - 1)).isInstanceOf(ViewInstalled.class);
        assertThat(orders(h)).as("b is the new sequencer: it announces the base").hasSize(1);
        final Frame first = orders(h).get(0);
        assertThat(TotalHeader.base(first.buffer(), first.payloadOffset())).isEqualTo(4);
    }

    @Test
    void shouldStopOrderingOnceBlockedAndRejectForeignOrders() {
        final LayerHarness h = harness("a");
        h.up(new Blocked());
        h.fromPeer("b", DATA, "b1");
        assertThat(orders(h)).as("only the first, empty batch").hasSize(1);
        final LayerHarness m = harness("b");
        m.fromPeer("c", ORDER, order(1, 2, 1));
        m.fromPeer("a", ORDER, order(9, 2, 1));
        assertThat(m.counter("malformed")).as("orders only from the sequencer, at the expected base").isEqualTo(2);
        assertThat(A).isNotEqualTo(C);
    }
}
