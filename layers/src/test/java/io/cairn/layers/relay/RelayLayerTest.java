package io.cairn.layers.relay;

import io.cairn.api.MemberId;
import io.cairn.stack.event.Trim;
import io.cairn.stack.event.SyncTo;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.InstallView;
import io.cairn.stack.wire.OriginSeqHeader;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class RelayLayerTest {
    private static final long B = MemberId.keyOf("b", 0);
    private static final long C = MemberId.keyOf("c", 0);

    private final LayerHarness h = LayerHarness.of(new RelayLayer()).members("a", "b", "c")
        .settings("relay", "").build();

    private static LayerHarness.HeaderWriter seq(final long seq, final int origin) {
        return seq(seq, origin, 0);
    }

    private static LayerHarness.HeaderWriter seq(final long seq, final int origin, final int flags) {
        return (b, o) -> OriginSeqHeader.write(b, o, seq, origin, flags);
    }

    private LayerHarness.HeaderWriter control(final byte type, final long epoch, final int origin,
                                              final long from, final long to) {
        return (b, o) -> RelayControl.write(b, o, type, h.viewTag(epoch), origin, from, to);
    }

    private int flagsOf(final Frame f) {
        return OriginSeqHeader.flags(f.buffer(), h.headerOffset());
    }

    private long seqOf(final Frame f) {
        return OriginSeqHeader.seq(f.buffer(), h.headerOffset());
    }

    private int originOf(final Frame f) {
        return OriginSeqHeader.origin(f.buffer(), h.headerOffset());
    }

    private List<Frame> requests() {
        return h.controlSentDown().stream().filter(f -> f.payload()[0] == RelayControl.REQUEST).toList();
    }

    @Test
    void shouldNumberCastsAndDeliverEachSendersMessagesOnceInOrder() {
        h.cast("x").cast("y");
        assertThat(h.dataSentDown()).extracting(f -> seqOf(f)).containsExactly(1L, 2L);
        h.fromPeer("b", seq(1, 1), "1").fromPeer("b", seq(2, 1), "2").fromPeer("b", seq(2, 1), "2 again");
        assertThat(h.deliveredPayloads()).containsExactly("1", "2");
        assertThat(h.counter("duplicates")).isEqualTo(1);
        assertThat(h.controlSentDown()).as("no gap: no request").isEmpty();
    }

    @Test
    void shouldPassUnsequencedSendsThrough() {
        h.fromPeer("b", 1, true, seq(0, 0), "p2p".getBytes());
        assertThat(h.deliveredPayloads()).containsExactly("p2p");
    }

    @Test
    void shouldDropFramesAfterAGapAndAskTheOriginAtMostOncePerInterval() {
        h.fromPeer("b", seq(1, 1), "1").fromPeer("b", seq(3, 1), "3").fromPeer("b", seq(4, 1), "4");
        assertThat(h.deliveredPayloads()).containsExactly("1");
        assertThat(h.counter("gaps")).isEqualTo(2);
        assertThat(requests()).hasSize(1);
        final Frame r = requests().get(0);
        assertThat(r.destination()).isEqualTo(B);
        assertThat(RelayControl.origin(r.buffer(), r.payloadOffset())).isEqualTo(1);
        assertThat(RelayControl.from(r.buffer(), r.payloadOffset())).isEqualTo(2);
        h.advance(25, MILLISECONDS);
        h.fromPeer("b", seq(5, 1), "5");
        assertThat(requests()).as("after request-interval a new frame asks again").hasSize(2);
        h.fromPeer("b", seq(2, 1), "2").fromPeer("b", seq(3, 1), "3").fromPeer("b", seq(4, 1), "4");
        assertThat(h.deliveredPayloads()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void shouldAnswerARequestWithCopiesUpToTheBudgetAndDeliverARelayedCopyAsTheOriginals() {
        h.fromPeer("b", seq(1, 1), "b1").fromPeer("b", seq(2, 1), "b2");
        h.clear();
        h.controlFromPeer("c", RelayControl.LENGTH, control(RelayControl.REQUEST, 1, 1, 2, Long.MAX_VALUE));
        assertThat(h.dataSentDown()).hasSize(1);
        final Frame f = h.dataSentDown().get(0);
        assertThat(f.destination()).isEqualTo(C);
        assertThat(f.payloadString()).isEqualTo("b2");
        assertThat(f.sender()).as("the original sender stays in the frame").isEqualTo(B);
        assertThat(flagsOf(f)).isEqualTo(OriginSeqHeader.FLAG_COPY);

        final LayerHarness other = LayerHarness.of(new RelayLayer()).members("a", "b", "c").self("c")
            .settings("relay", "").build();
        other.fromPeer("a", 1, true, seq(1, 1, OriginSeqHeader.FLAG_COPY), "relayed".getBytes());
        assertThat(other.deliveredUp()).hasSize(1);
        assertThat(other.deliveredUp().get(0).sender()).isEqualTo(B);
        assertThat(other.deliveredUp().get(0).isUnicast()).isFalse();
        other.fromPeer("b", seq(1, 1), "late original");
        assertThat(other.deliveredUp()).hasSize(1);
        assertThat(other.counter("recovered")).isEqualTo(1);
    }

    @Test
    void shouldAskEveryMemberForWhatAFlushCutNeeds() {
        h.fromPeer("b", seq(1, 1), "b1");
        h.down(new SyncTo(1, new long[] {0, 3, 0}));
        assertThat(requests()).hasSize(1);
        final Frame r = requests().get(0);
        assertThat(r.destination()).as("the sender may be gone: ask everyone").isZero();
        assertThat(RelayControl.from(r.buffer(), r.payloadOffset())).isEqualTo(2);
        assertThat(RelayControl.to(r.buffer(), r.payloadOffset())).isEqualTo(3);
        h.down(new SyncTo(7, new long[] {0, 9, 9}));
        assertThat(requests()).as("another view's cut is ignored").hasSize(1);
    }

    @Test
    void shouldAnnounceItsHighestWhileUnstableAndTrimCopiesOnStability() {
        h.cast("1").cast("2");
        h.advance(60, MILLISECONDS);
        final List<Frame> highest = h.controlSentDown().stream()
            .filter(f -> f.payload()[0] == RelayControl.HIGHEST).toList();
        assertThat(highest).isNotEmpty();
        assertThat(RelayControl.to(highest.get(0).buffer(), highest.get(0).payloadOffset())).isEqualTo(2);
        h.down(new Trim(1, new long[] {1, 0, 0}));
        h.clear();
        h.controlFromPeer("b", RelayControl.LENGTH, control(RelayControl.REQUEST, 1, 0, 1, 2));
        assertThat(h.dataSentDown()).extracting(Frame::payloadString).as("1 is stable: trimmed").containsExactly("2");
        h.down(new Trim(1, new long[] {2, 0, 0}));
        h.clear();
        h.advance(200, MILLISECONDS);
        assertThat(h.controlSentDown()).as("all stable: nothing to announce").isEmpty();
        h.controlFromPeer("b", RelayControl.LENGTH, control(RelayControl.HIGHEST, 1, 2, 0, 4));
        assertThat(requests()).as("a HIGHEST beyond what we have asks for the tail").hasSize(1);
    }

    @Test
    void shouldRejectForgedMalformedAndStaleInput() {
        h.fromPeer("c", seq(1, 1), "forged origin");
        h.fromPeer("c", seq(1, 9), "bad rank");
        h.controlFromPeer("b", 5, (b, o) -> b.putByte(o, RelayControl.REQUEST));
        h.controlFromPeer("b", RelayControl.LENGTH, control((byte) 9, 1, 0, 1, 1));
        h.controlFromPeer("b", RelayControl.LENGTH, control(RelayControl.REQUEST, 1, 0, 5, 1));
        assertThat(h.counter("malformed")).isEqualTo(5);
        h.controlFromPeer("mallory", RelayControl.LENGTH, control(RelayControl.REQUEST, 1, 0, 1, 1));
        h.controlFromPeer("b", RelayControl.LENGTH, control(RelayControl.REQUEST, 3, 0, 1, 1));
        assertThat(h.counter("no_view")).isEqualTo(2);
        assertThat(h.deliveredUp()).isEmpty();
        assertThat(h.sentDown()).isEmpty();
    }

    @Test
    void shouldRestartNumberingAndDropCopiesInANewView() {
        h.cast("old");
        h.down(new InstallView(new View(new ViewId(2, new MemberId("a", 0)),
            List.of(new MemberId("a", 0), new MemberId("b", 0)), true)));
        h.clear();
        h.cast("new");
        assertThat(seqOf(h.dataSentDown().get(0))).isEqualTo(1);
        h.fromPeer("b", 1, false, seq(1, 1), "of view 1".getBytes());
        assertThat(h.deliveredUp()).as("a frame of the previous view").isEmpty();
    }
}
