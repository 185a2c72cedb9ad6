package io.cairn.layers.symmetric;

import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.Exited;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SymmetricTotalLayerTest {
    private static LayerHarness harness(final String self) {
        return LayerHarness.of(new SymmetricTotalLayer()).members("a", "b", "c").self(self)
            .settings("symmetric-total", "").build();
    }

    private static LayerHarness.HeaderWriter data(final long ts) {
        return (b, o) -> SymmetricHeader.write(b, o, SymmetricHeader.DATA, ts);
    }

    private static LayerHarness.HeaderWriter nul(final long ts) {
        return (b, o) -> SymmetricHeader.write(b, o, SymmetricHeader.NULL, ts);
    }

    private static List<Frame> kind(final LayerHarness h, final byte kind) {
        return h.dataSentDown().stream().filter(f -> SymmetricHeader.kind(f.buffer(), h.headerOffset()) == kind)
            .toList();
    }

    @Test
    void shouldDeliverInTimestampOrderOnceNobodyCanSendAnythingEarlier() {
        final LayerHarness h = harness("b");
        h.fromPeer("c", data(2), "c@2").fromPeer("a", data(3), "a@3");
        assertThat(h.deliveredUp()).as("b itself has not spoken: it might still send something at 1 or 2")
            .isEmpty();
        h.cast("b@4");
        assertThat(SymmetricHeader.ts(kind(h, SymmetricHeader.DATA).get(0).buffer(), h.headerOffset()))
            .as("Lamport: after the highest timestamp seen").isEqualTo(4);
        h.fromPeer("b", data(4), "b@4");
        assertThat(h.deliveredPayloads()).as("nothing can precede c@2 any more; a@3 waits until c passes 3")
            .containsExactly("c@2");
        h.fromPeer("c", nul(5), new byte[0]);
        assertThat(h.deliveredPayloads()).as("b@4 still waits: a might send at 4").containsExactly("c@2", "a@3");
        h.fromPeer("a", nul(6), new byte[0]);
        assertThat(h.deliveredPayloads()).containsExactly("c@2", "a@3", "b@4");
        assertThat(h.deliveredUp()).extracting(Frame::order).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldBreakTimestampTiesByRank() {
        final LayerHarness h = harness("b");
        h.fromPeer("c", data(5), "c@5").fromPeer("a", data(5), "a@5").fromPeer("b", data(6), "b@6");
        assertThat(h.deliveredPayloads()).containsExactly("a@5", "c@5");
    }

    @Test
    void shouldAnswerCastsWithANullWhenItHasNothingToCast() {
        final LayerHarness h = harness("c");
        h.fromPeer("a", data(1), "a1");
        assertThat(kind(h, SymmetricHeader.NULL)).as("one null per duty cycle, at the end of it").hasSize(1);
        h.fromPeer("b", data(7), "b7");
        assertThat(kind(h, SymmetricHeader.NULL)).hasSize(2);
        assertThat(SymmetricHeader.ts(kind(h, SymmetricHeader.NULL).get(1).buffer(), h.headerOffset()))
            .as("after everything it received").isGreaterThan(7);
        h.fromPeer("a", nul(9), new byte[0]);
        h.advance(1, TimeUnit.MILLISECONDS);
        assertThat(kind(h, SymmetricHeader.NULL)).as("nulls do not answer nulls").hasSize(2);
        h.cast("c-own");
        h.fromPeer("b", data(8), "b8");
        h.advance(1, TimeUnit.MILLISECONDS);
        assertThat(kind(h, SymmetricHeader.NULL)).as("its own cast already covers b8").hasSize(2);
    }

    @Test
    void shouldRejectTimestampsThatGoBackwardsAndBasesFromAnyoneButTheFirstMember() {
        final LayerHarness h = harness("b");
        h.fromPeer("a", data(5), "a5").fromPeer("a", data(5), "again").fromPeer("a", data(3), "back");
        h.fromPeer("c", (b, o) -> SymmetricHeader.write(b, o, SymmetricHeader.BASE, 9), new byte[8]);
        h.fromPeer("c", (b, o) -> b.putByte(o, (byte) 9), "kind");
        assertThat(h.counter("malformed")).isEqualTo(4);
    }

    @Test
    void shouldCompleteTheViewInOneOrderAndContinueTheNumbering() {
        final LayerHarness h = harness("b");
        h.fromPeer("c", data(4), "c@4").fromPeer("a", data(6), "a@6").fromPeer("a", data(2), "stale");
        h.up(new Blocked());
        final MemberId b = MemberId.parse("b");
        final MemberId c = MemberId.parse("c");
        h.up(new ViewInstalled(new View(new ViewId(2, b), List.of(b, c), true)));
        assertThat(h.deliveredPayloads()).containsExactly("c@4", "a@6");
        assertThat(h.deliveredUp()).extracting(Frame::order).containsExactly(1L, 2L);
        assertThat(h.counter("completed_at_view_change")).isEqualTo(2);
        final List<Frame> bases = kind(h, SymmetricHeader.BASE);
        assertThat(bases).as("b is first in the new view: it announces the next number").hasSize(1);
        assertThat(bases.get(0).buffer().getLong(bases.get(0).payloadOffset(), ByteOrder.LITTLE_ENDIAN))
            .isEqualTo(3);
    }

    @Test
    void shouldExitWhenANewcomersFirstViewEndsBeforeItLearnsTheBase() {
        final MemberId a = MemberId.parse("a");
        final MemberId b = MemberId.parse("b");
        final MemberId d = MemberId.parse("d");
        final LayerHarness h = LayerHarness.of(new SymmetricTotalLayer()).members("a", "b", "d").self("d")
            .settings("symmetric-total", "").noView().build();
        h.up(new ViewInstalled(new View(new ViewId(3, a), List.of(a, b, d), true)));
        h.up(new ViewInstalled(new View(new ViewId(4, a), List.of(a, d), true)));
        assertThat(h.eventsUp()).anyMatch(e -> e instanceof Exited x && x.rejoin());
    }
}
