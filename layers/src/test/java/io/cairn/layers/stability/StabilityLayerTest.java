package io.cairn.layers.stability;

import io.cairn.stack.event.Stable;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class StabilityLayerTest {
    private final LayerHarness h = LayerHarness.of(new StabilityLayer()).members("a", "b", "c")
        .settings("stability", "").build();

    private static LayerHarness.HeaderWriter none() {
        return (b, o) -> { };
    }

    private void gossip(final String from, final long... vector) {
        h.controlFromPeer(from, StabilityGossip.length(vector.length),
            (b, o) -> StabilityGossip.write(b, o, h.viewTag(1), vector));
    }

    private List<Stable> stableUp() {
        return h.eventsUp().stream().filter(e -> e instanceof Stable).map(e -> (Stable) e).toList();
    }

    @Test
    void shouldGossipWhatItDeliveredAfterTheInterval() {
        h.fromPeer("b", none(), "1").fromPeer("b", none(), "2").fromPeer("a", none(), "mine");
        assertThat(h.controlSentDown()).isEmpty();
        h.advance(25, MILLISECONDS);
        assertThat(h.controlSentDown()).hasSize(1);
        final Frame g = h.controlSentDown().get(0);
        assertThat(StabilityGossip.get(g.buffer(), g.payloadOffset(), 0)).isEqualTo(1);
        assertThat(StabilityGossip.get(g.buffer(), g.payloadOffset(), 1)).isEqualTo(2);
        assertThat(StabilityGossip.get(g.buffer(), g.payloadOffset(), 2)).isZero();
    }

    @Test
    void shouldEmitTheMinimumOverAllMembersUpAndDown() {
        h.fromPeer("b", none(), "1").fromPeer("b", none(), "2").fromPeer("c", none(), "c1");
        gossip("b", 0, 2, 1);
        assertThat(stableUp()).isEmpty();
        gossip("c", 0, 1, 1);
        assertThat(stableUp()).hasSize(1);
        assertThat(stableUp().get(0).stable()).containsExactly(0, 1, 1);
        assertThat(h.eventsDown()).filteredOn(e -> e instanceof io.cairn.stack.event.Trim).hasSize(1);
        gossip("c", 0, 2, 1);
        assertThat(stableUp()).hasSize(2);
        assertThat(stableUp().get(1).stable()).containsExactly(0, 2, 1);
    }

    @Test
    void shouldFallQuietOnceEveryoneAgrees() {
        h.fromPeer("b", none(), "1");
        gossip("b", 0, 1, 0);
        gossip("c", 0, 1, 0);
        h.advance(25, MILLISECONDS);
        final int gossips = h.controlSentDown().size();
        h.advance(200, MILLISECONDS);
        assertThat(h.controlSentDown()).hasSize(gossips);
    }

    @Test
    void shouldIgnoreMalformedAndOtherViewsGossip() {
        h.controlFromPeer("b", 7, (b, o) -> b.putInt(o, 1));
        h.controlFromPeer("b", StabilityGossip.length(2),
            (b, o) -> StabilityGossip.write(b, o, h.viewTag(1), new long[2]));
        assertThat(h.counter("malformed")).isEqualTo(2);
        h.controlFromPeer("b", StabilityGossip.length(3),
            (b, o) -> StabilityGossip.write(b, o, h.viewTag(9), new long[] {5, 5, 5}));
        h.controlFromPeer("c", StabilityGossip.length(3),
            (b, o) -> StabilityGossip.write(b, o, h.viewTag(9), new long[] {5, 5, 5}));
        assertThat(stableUp()).isEmpty();
    }

    @Test
    void shouldNotCountPointToPointSends() {
        h.fromPeer("b", 1, true, none(), "p2p".getBytes());
        h.advance(25, MILLISECONDS);
        assertThat(h.controlSentDown()).isEmpty();
    }
}
