package io.cairn.layers.causal;

import io.cairn.stack.event.BlockOk;
import io.cairn.stack.event.Blocked;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CausalLayerTest {
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;

    private static LayerHarness harness() {
        return LayerHarness.of(new CausalLayer()).members("a", "b", "c").self("a").settings("causal", "").build();
    }

    /** A cast from a peer: its data followed by entries (rank, count) in the trailer. */
    private static void from(final LayerHarness h, final String sender, final String data, final long... rankCount) {
        final byte[] d = data.getBytes(StandardCharsets.UTF_8);
        final int n = rankCount.length / 2;
        final byte[] payload = new byte[d.length + n * CausalHeader.ENTRY];
        final UnsafeBuffer b = new UnsafeBuffer(payload);
        b.putBytes(0, d);
        for (int i = 0; i < n; i++) {
            CausalHeader.entry(b, d.length, i, (int) rankCount[2 * i], rankCount[2 * i + 1]);
        }
        h.fromPeer(sender, (buf, o) -> CausalHeader.entries(buf, o, n), payload);
    }

    private static int entries(final LayerHarness h, final Frame f) {
        return CausalHeader.entries(f.buffer(), h.headerOffset());
    }

    @Test
    void shouldSendOnlyTheEntriesThatChangedSinceTheLastCast() {
        final LayerHarness h = harness();
        h.cast("a1");
        final Frame first = h.dataSentDown().get(0);
        assertThat(entries(h, first)).as("nothing delivered yet: no trailer, no copy").isZero();
        assertThat(first.payloadString()).isEqualTo("a1");
        from(h, "b", "b1");
        from(h, "c", "c1");
        h.cast("a2").cast("a3");
        final Frame second = h.dataSentDown().get(1);
        assertThat(entries(h, second)).isEqualTo(2);
        final int trailer = second.bytes().length - 2 * CausalHeader.ENTRY;
        assertThat(CausalHeader.rank(CausalHeader.entry(second.buffer(), trailer, 0))).isEqualTo(B);
        assertThat(CausalHeader.count(CausalHeader.entry(second.buffer(), trailer, 0))).isEqualTo(1);
        assertThat(CausalHeader.rank(CausalHeader.entry(second.buffer(), trailer, 1))).isEqualTo(C);
        assertThat(entries(h, h.dataSentDown().get(2))).as("a3 adds nothing new").isZero();
    }

    @Test
    void shouldHoldACastUntilWhatItsSenderHadDeliveredIsDeliveredHere() {
        final LayerHarness h = harness();
        from(h, "c", "c1", B, 1);
        assertThat(h.deliveredUp()).as("c had delivered b1 before casting c1").isEmpty();
        from(h, "c", "c2");
        assertThat(h.deliveredUp()).as("c2 waits behind c1 (FIFO)").isEmpty();
        from(h, "b", "b1");
        assertThat(h.deliveredPayloads()).as("trailers removed, in causal order").containsExactly("b1", "c1", "c2");
        assertThat(h.counter("held_back")).isEqualTo(2);
        assertThat(h.counter("gauge.causal_holding_bytes")).isZero();
    }

    @Test
    void shouldReleaseChainsAcrossSenders() {
        final LayerHarness h = harness();
        from(h, "c", "c1", B, 1);
        from(h, "b", "b1", A, 1);
        assertThat(h.deliveredUp()).isEmpty();
        from(h, "a", "a1");
        assertThat(h.deliveredPayloads()).as("a's own cast, looped back, unlocks b1, which unlocks c1")
            .containsExactly("a1", "b1", "c1");
    }

    @Test
    void shouldDropMalformedTrailers() {
        final LayerHarness h = harness();
        from(h, "b", "own", B, 1);
        from(h, "b", "out", 7, 1);
        h.fromPeer("b", (buf, o) -> CausalHeader.entries(buf, o, 3), "short".getBytes(StandardCharsets.UTF_8));
        h.fromPeer("b", (buf, o) -> CausalHeader.entries(buf, o, 60), new byte[1000]);
        assertThat(h.counter("malformed")).isEqualTo(4);
        assertThat(h.deliveredUp()).isEmpty();
    }

    @Test
    void shouldDiscardAtTheViewChangeWhatNoSurvivorCanCompleteAndStartTheNextViewClean() {
        final LayerHarness h = harness();
        from(h, "c", "c1", B, 5);
        from(h, "b", "b1");
        h.down(new BlockOk());
        h.cast("unrequested BlockOk");
        assertThat(entries(h, h.dataSentDown().get(0))).as("no Blocked in this view: still its entries")
            .isEqualTo(1);
        // The harness's application answers Blocked at once: its BlockOk comes down before the next cast.
        h.up(new Blocked());
        h.cast("during flush");
        assertThat(entries(h, h.dataSentDown().get(1))).as("goes out in the next view: no entries").isZero();
        final MemberId a = MemberId.parse("a");
        final MemberId c = MemberId.parse("c");
        h.up(new ViewInstalled(new View(new ViewId(2, a), List.of(a, c), true)));
        assertThat(h.deliveredPayloads()).containsExactly("b1");
        assertThat(h.counter("discarded_at_view_change")).isEqualTo(1);
        assertThat(h.counter("gauge.causal_holding_bytes")).isZero();
    }
}
