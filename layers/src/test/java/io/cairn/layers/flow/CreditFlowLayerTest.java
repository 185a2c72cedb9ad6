package io.cairn.layers.flow;

import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CreditFlowLayerTest {
    private static final LayerHarness.HeaderWriter NONE = (b, o) -> { };
    private static final byte[] KB = new byte[1000];

    private static LayerHarness harness() {
        return LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").self("a")
            .settings("credit-flow", "max-credits = 4K, grant-threshold = 0.25").build();
    }

    private static LayerHarness grant(final LayerHarness h, final String from, final long value) {
        return h.controlFromPeer(from, CreditControl.LENGTH,
            (b, o) -> CreditControl.write(b, o, CreditControl.GRANT, h.viewTag(1), value));
    }

    private static List<Frame> controls(final LayerHarness h, final byte kind) {
        return h.controlSentDown().stream()
            .filter(f -> CreditControl.kind(f.buffer(), f.payloadOffset()) == kind).toList();
    }

    /** Four 1,000-byte casts fit in 4 KiB of credit; the fifth is held and no more are taken. */
    private static LayerHarness exhausted() {
        final LayerHarness h = harness();
        for (int i = 0; i < 5; i++) {
            h.cast(KB);
        }
        return h;
    }

    private static boolean wouldBlock(final LayerHarness h) {
        return !h.runtime().offerCast(new UnsafeBuffer(KB), 0, KB.length);
    }

    @Test
    void shouldStopAtTheCreditAndReportWouldBlock() {
        final LayerHarness h = exhausted();
        assertThat(h.dataSentDown()).hasSize(4);
        assertThat(h.counter("blocked")).as("one held cast").isEqualTo(1);
        assertThat(wouldBlock(h)).as("tryCast reports would-block while the layer lacks credit").isTrue();
        assertThat(h.counter("gauge.unacked_bytes")).isEqualTo(4000);
    }

    @Test
    void shouldGoOnAtTheSlowestMembersPaceAsGrantsArrive() {
        final LayerHarness h = exhausted();
        for (int i = 0; i < 4; i++) {
            h.fromPeer("a", NONE, KB);
        }
        assertThat(controls(h, CreditControl.GRANT)).as("its own consumption credits itself locally").isEmpty();
        grant(h, "b", 8096);
        assertThat(h.dataSentDown()).as("c has not granted more").hasSize(4);
        grant(h, "c", 6096);
        assertThat(h.dataSentDown()).as("the held cast goes").hasSize(5);
        h.cast(KB).cast(KB);
        assertThat(h.dataSentDown()).as("up to the smaller grant: 6,096 bytes").hasSize(6);
        assertThat(wouldBlock(h)).isTrue();
        grant(h, "c", 5000);
        assertThat(h.dataSentDown()).as("grants are cumulative: a smaller one changes nothing").hasSize(6);
        grant(h, "c", 9000);
        assertThat(h.dataSentDown()).hasSize(7);
        assertThat(wouldBlock(h)).isFalse();
    }

    @Test
    void shouldAskAgainWhenAGrantIsLost() {
        final LayerHarness h = exhausted();
        h.advance(60, TimeUnit.MILLISECONDS);
        final List<Frame> requests = controls(h, CreditControl.REQUEST);
        assertThat(requests).extracting(Frame::destination)
            .containsExactlyInAnyOrder(MemberId.parse("b").key(), MemberId.parse("c").key());
        final LayerHarness c = LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").self("c")
            .settings("credit-flow", "max-credits = 4K").build();
        c.controlFromPeer("a", CreditControl.LENGTH,
            (b, o) -> CreditControl.write(b, o, CreditControl.REQUEST, c.viewTag(1), 4000));
        assertThat(controls(c, CreditControl.GRANT)).as("a request is answered with the current grant").hasSize(1);
        final Frame g = controls(c, CreditControl.GRANT).get(0);
        assertThat(CreditControl.value(g.buffer(), g.payloadOffset())).isEqualTo(4096);
    }

    @Test
    void shouldGrantInBatchesAsTheApplicationConsumes() {
        final LayerHarness h = LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").self("c")
            .settings("credit-flow", "max-credits = 4K, grant-threshold = 0.5").build();
        h.fromPeer("b", NONE, KB);
        assertThat(controls(h, CreditControl.GRANT)).isEmpty();
        h.fromPeer("b", NONE, KB).fromPeer("b", NONE, KB);
        final List<Frame> grants = controls(h, CreditControl.GRANT);
        assertThat(grants).as("after 2,048 bytes consumed from b").hasSize(1);
        assertThat(grants.get(0).destination()).isEqualTo(MemberId.parse("b").key());
        assertThat(CreditControl.value(grants.get(0).buffer(), grants.get(0).payloadOffset())).isEqualTo(3000 + 4096);
    }

    /**
     * Small messages count as {@code min-charge} at both ends, so credit bounds how many can queue at a slow member:
     * with 4 KiB of credit and a charge of 400 B, ten 100-byte casts go and the eleventh waits; a receiver credits
     * three such deliveries as 1,200 bytes, over its threshold of 1,024.
     */
    @Test
    void shouldCountASmallMessageAsTheMinimumCharge() {
        final LayerHarness s = LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").self("a")
            .settings("credit-flow", "max-credits = 4K, min-charge = 400, grant-threshold = 0.25").build();
        final byte[] small = new byte[100];
        for (int i = 0; i < 11; i++) {
            s.cast(small);
        }
        assertThat(s.dataSentDown()).hasSize(10);
        assertThat(s.counter("blocked")).as("the eleventh is held").isEqualTo(1);
        assertThat(s.counter("gauge.unacked_bytes")).isEqualTo(4000);
        final LayerHarness r = LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").self("c")
            .settings("credit-flow", "max-credits = 4K, min-charge = 400, grant-threshold = 0.25").build();
        r.fromPeer("b", NONE, small).fromPeer("b", NONE, small);
        assertThat(controls(r, CreditControl.GRANT)).as("800 charged bytes are under the threshold").isEmpty();
        r.fromPeer("b", NONE, small);
        final List<Frame> grants = controls(r, CreditControl.GRANT);
        assertThat(grants).hasSize(1);
        assertThat(CreditControl.value(grants.get(0).buffer(), grants.get(0).payloadOffset())).isEqualTo(1200 + 4096);
        assertThat(r.counter("gauge.unconsumed_bytes")).as("the gauge stays in payload bytes").isZero();
    }

    @Test
    void shouldStopWaitingForAMemberThatLeftTheView() {
        final LayerHarness h = exhausted();
        grant(h, "b", 100_000);
        final MemberId a = MemberId.parse("a");
        final MemberId b = MemberId.parse("b");
        h.up(new ViewInstalled(new View(new ViewId(2, a), List.of(a, b), true)));
        assertThat(h.dataSentDown()).as("a new view starts with full credit from the survivors").hasSize(5);
    }

    /**
     * Casts the application offered before it saw a view are in the command ring ahead of the runtime's ViewOk,
     * which the ring drains whatever layer holds casts: they go out in the new view together with the held one,
     * in order, none overwriting it; after ViewOk casts wait for credit again.
     */
    @Test
    void shouldPassWhatTheRingDrainsUpToViewOkAndLoseNothing() {
        final LayerHarness h = harness();
        for (int i = 0; i < 7; i++) {
            final byte[] p = KB.clone();
            p[0] = (byte) i;
            assertThat(h.runtime().offerCast(new UnsafeBuffer(p), 0, p.length)).isTrue();
        }
        h.run();
        assertThat(h.dataSentDown()).as("four fit the credit, the fifth is held, two wait in the ring").hasSize(4);
        final MemberId a = MemberId.parse("a");
        h.up(new ViewInstalled(new View(new ViewId(2, a), List.of(a, MemberId.parse("b"), MemberId.parse("c")),
            true)));
        assertThat(h.dataSentDown()).extracting(f -> (int) f.payload()[0])
            .as("the held cast, then the two drained up to ViewOk, in order").containsExactly(0, 1, 2, 3, 4, 5, 6);
        final byte[] p = KB.clone();
        p[0] = 7;
        assertThat(h.runtime().offerCast(new UnsafeBuffer(p), 0, p.length)).isTrue();
        h.run();
        assertThat(h.dataSentDown()).as("after ViewOk: 4,000 bytes unconsumed from the last view leave no credit")
            .hasSize(7);
        for (final String peer : List.of("b", "c")) {
            h.controlFromPeer(peer, CreditControl.LENGTH,
                (b, o) -> CreditControl.write(b, o, CreditControl.GRANT, h.viewTag(2), 100_000));
        }
        assertThat(h.dataSentDown()).extracting(f -> (int) f.payload()[0]).endsWith(6, 7);
    }

    @Test
    void shouldCreditPointToPointSendsPerDestination() {
        final LayerHarness h = harness();
        final String kb = "x".repeat(1000);
        for (int i = 0; i < 5; i++) {
            h.send("b", kb);
        }
        assertThat(h.dataSentDown()).as("4 KiB of credit from b").hasSize(4);
        assertThat(wouldBlock(h)).isTrue();
        h.advance(60, TimeUnit.MILLISECONDS);
        assertThat(controls(h, CreditControl.REQUEST_UNI)).extracting(Frame::destination)
            .containsExactly(MemberId.parse("b").key());
        h.controlFromPeer("b", CreditControl.LENGTH,
            (b, o) -> CreditControl.write(b, o, CreditControl.GRANT_UNI, h.viewTag(1), 8192));
        assertThat(h.dataSentDown()).hasSize(5);
        assertThat(h.counter("gauge.unacked_bytes")).as("multicast credit is separate").isZero();
        final LayerHarness r = LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").self("c")
            .settings("credit-flow", "max-credits = 4K, grant-threshold = 0.5").build();
        for (int i = 0; i < 3; i++) {
            r.fromPeer("b", 1, true, NONE, KB);
        }
        assertThat(controls(r, CreditControl.GRANT_UNI)).as("consumed sends earn point-to-point credit").hasSize(1);
        assertThat(controls(r, CreditControl.GRANT)).isEmpty();
    }

    @Test
    void shouldDropMalformedControl() {
        final LayerHarness h = harness();
        h.controlFromPeer("b", 3, (b, o) -> b.putByte(o, (byte) 1));
        h.controlFromPeer("b", CreditControl.LENGTH, (b, o) -> CreditControl.write(b, o, (byte) 9, h.viewTag(1), 1));
        h.controlFromPeer("z", CreditControl.LENGTH,
            (b, o) -> CreditControl.write(b, o, CreditControl.GRANT, h.viewTag(1), 1));
        assertThat(h.counter("malformed")).isEqualTo(3);
    }
}
