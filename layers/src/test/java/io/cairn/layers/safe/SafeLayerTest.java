package io.cairn.layers.safe;

import io.cairn.api.MemberId;
import io.cairn.stack.event.Stable;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SafeLayerTest {
    private static final LayerHarness.HeaderWriter NONE = (b, o) -> { };

    private static LayerHarness harness() {
        return LayerHarness.of(new SafeLayer()).members("a", "b", "c").self("b").settings("safe", "").build();
    }

    @Test
    void shouldHoldEachMulticastUntilEveryMemberHasIt() {
        final LayerHarness h = harness();
        h.fromPeer("a", NONE, "a1").fromPeer("a", NONE, "a2").fromPeer("c", NONE, "c1");
        assertThat(h.deliveredUp()).isEmpty();
        h.up(new Stable(1, new long[] {1, 0, 0}));
        assertThat(h.deliveredPayloads()).containsExactly("a1");
        h.up(new Stable(1, new long[] {2, 0, 1}));
        assertThat(h.deliveredPayloads()).containsExactly("a1", "a2", "c1");
        assertThat(h.eventsUp()).as("stability still reaches the application").filteredOn(e -> e instanceof Stable)
            .hasSize(2);
        assertThat(h.counter("gauge.safe_holding")).isZero();
    }

    @Test
    void shouldDeliverAtOnceWhatIsAlreadyStableAndIgnoreStaleOrForeignVectors() {
        final LayerHarness h = harness();
        h.up(new Stable(1, new long[] {1, 0, 0}));
        h.fromPeer("a", NONE, "a1");
        assertThat(h.deliveredPayloads()).as("stability ran ahead of this layer: no need to hold").containsExactly("a1");
        h.fromPeer("a", NONE, "a2");
        h.up(new Stable(7, new long[] {5, 5, 5})).up(new Stable(1, new long[] {5, 5}));
        assertThat(h.deliveredPayloads()).as("another view's vector, or one of the wrong size").containsExactly("a1");
        h.up(new Stable(1, new long[] {0, 0, 0}));
        assertThat(h.deliveredPayloads()).as("stability never goes back").containsExactly("a1");
    }

    @Test
    void shouldPassUnicastsAndOtherViewsStraightThrough() {
        final LayerHarness h = harness();
        h.fromPeer("a", 1, true, NONE, "u".getBytes(StandardCharsets.UTF_8));
        assertThat(h.deliveredPayloads()).containsExactly("u");
    }

    @Test
    void shouldReleaseEverythingHeldBeforeTheNextViewPassesUp() {
        final LayerHarness h = harness();
        h.fromPeer("c", NONE, "c1").fromPeer("a", NONE, "a1").fromPeer("c", NONE, "c2");
        h.up(new Stable(1, new long[] {0, 0, 1}));
        assertThat(h.deliveredPayloads()).containsExactly("c1");
        final MemberId a = MemberId.parse("a");
        final MemberId b = MemberId.parse("b");
        h.up(new ViewInstalled(new View(new ViewId(2, a), List.of(a, b), true)));
        assertThat(h.deliveredPayloads()).as("the flush gave all survivors these: rank order, then arrival")
            .containsExactly("c1", "a1", "c2");
        assertThat(h.counter("released_at_view_change")).isEqualTo(2);
        assertThat(h.eventsUp().get(h.eventsUp().size() - 1)).isInstanceOf(ViewInstalled.class);
        h.up(new Stable(1, new long[] {9, 9, 9}));
        assertThat(h.deliveredPayloads()).as("nothing is left of the old view").hasSize(3);
    }
}
