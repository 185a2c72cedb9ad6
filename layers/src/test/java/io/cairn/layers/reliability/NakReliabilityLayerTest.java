package io.cairn.layers.reliability;

import io.cairn.api.MemberId;
import io.cairn.stack.event.Trim;
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

class NakReliabilityLayerTest {
    private static final long A = MemberId.keyOf("a", 0);
    private static final long B = MemberId.keyOf("b", 0);
    private static final long C = MemberId.keyOf("c", 0);

    private final LayerHarness h = LayerHarness.of(new NakReliabilityLayer()).members("a", "b", "c")
        .settings("nak-reliability", "").build();

    private static LayerHarness.HeaderWriter seq(final long seq, final int origin) {
        return seq(seq, origin, 0);
    }

    private static LayerHarness.HeaderWriter seq(final long seq, final int origin, final int flags) {
        return (b, o) -> OriginSeqHeader.write(b, o, seq, origin, flags);
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

    private LayerHarness.HeaderWriter nak(final int origin, final long from, final long to) {
        return (b, o) -> NakControl.writeNak(b, o, h.viewTag(1), origin, new long[] {from, to}, 1);
    }

    private List<Frame> naks() {
        return h.controlSentDown().stream().filter(f -> f.payload()[0] == NakControl.NAK).toList();
    }

    @Test
    void shouldNumberCastsFromOneAndKeepCopies() {
        h.cast("x").cast("y");
        assertThat(h.dataSentDown()).hasSize(2);
        assertThat(seqOf(h.dataSentDown().get(0))).isEqualTo(1);
        assertThat(seqOf(h.dataSentDown().get(1))).isEqualTo(2);
        assertThat(originOf(h.dataSentDown().get(1))).isZero();
        assertThat(h.counter("gauge.retransmit_bytes")).isGreaterThan(0);
    }

    @Test
    void shouldDeliverOnArrivalAndDropDuplicates() {
        h.fromPeer("b", seq(2, 1), "second").fromPeer("b", seq(1, 1), "first").fromPeer("b", seq(2, 1), "again");
        assertThat(h.deliveredPayloads()).containsExactly("second", "first");
        assertThat(h.counter("duplicates")).isEqualTo(1);
    }

    @Test
    void shouldPassUnsequencedSendsThrough() {
        h.fromPeer("b", 1, true, seq(0, 0), "p2p".getBytes());
        assertThat(h.deliveredPayloads()).containsExactly("p2p");
    }

    @Test
    void shouldNakAGapToTheSenderAfterTheDelayThenBackOffThenAskEveryone() {
        h.fromPeer("b", seq(1, 1), "1").fromPeer("b", seq(4, 1), "4");
        h.advance(1, MILLISECONDS);
        assertThat(naks()).as("reordering tolerance: no NAK before nak-delay").isEmpty();
        h.advance(2, MILLISECONDS);
        assertThat(naks()).hasSize(1);
        final Frame first = naks().get(0);
        assertThat(first.destination()).isEqualTo(B);
        assertThat(NakControl.origin(first.buffer(), first.payloadOffset())).isEqualTo(1);
        assertThat(NakControl.from(first.buffer(), first.payloadOffset(), 0)).isEqualTo(2);
        assertThat(NakControl.to(first.buffer(), first.payloadOffset(), 0)).isEqualTo(3);
        // Then at doubling intervals (10, 20, 40 ms), each within one timer tick.
        h.advance(8, MILLISECONDS);
        assertThat(naks()).hasSize(1);
        h.advance(3, MILLISECONDS);
        assertThat(naks()).hasSize(2);
        h.advance(17, MILLISECONDS);
        assertThat(naks()).hasSize(2);
        h.advance(4, MILLISECONDS);
        assertThat(naks()).hasSize(3);
        assertThat(naks()).allMatch(f -> f.destination() == B);
        h.advance(36, MILLISECONDS);
        assertThat(naks()).hasSize(3);
        h.advance(5, MILLISECONDS);
        assertThat(naks()).hasSize(4);
        h.advance(75, MILLISECONDS);
        assertThat(naks()).hasSize(4);
        h.advance(5, MILLISECONDS);
        assertThat(naks()).as("capped at max-nak-interval (100 ms)").hasSize(5);
        assertThat(naks().get(3).destination()).as("after relay-after attempts the NAK goes to all").isZero();
        h.fromPeer("b", seq(2, 1), "2").fromPeer("b", seq(3, 1), "3");
        final int before = naks().size();
        h.advance(500, MILLISECONDS);
        assertThat(naks()).hasSize(before);
        assertThat(h.deliveredPayloads()).containsExactly("1", "4", "2", "3");
    }

    @Test
    void shouldNakAgainAtOnceWhenAnAnswerArrivedInFull() {
        h.fromPeer("b", seq(1, 1), "1").fromPeer("b", seq(202, 1), "202");
        h.advance(3, MILLISECONDS);
        assertThat(naks()).hasSize(1);
        assertThat(NakControl.to(naks().get(0).buffer(), naks().get(0).payloadOffset(), 0)).isEqualTo(201);
        // One answer holds 64 copies (max-retransmit-per-nak): the 64th, not the 63rd, brings the next NAK.
        for (int s = 2; s <= 64; s++) {
            h.fromPeer("b", seq(s, 1, OriginSeqHeader.FLAG_COPY), "copy");
        }
        h.fromPeer("b", seq(64, 1, OriginSeqHeader.FLAG_COPY), "duplicate copy");
        h.fromPeer("b", seq(203, 1), "an original");
        assertThat(naks()).as("duplicates and originals do not count").hasSize(1);
        h.fromPeer("b", seq(65, 1, OriginSeqHeader.FLAG_COPY), "copy");
        assertThat(naks()).as("no wait for nak-interval").hasSize(2);
        final Frame second = naks().get(1);
        assertThat(second.destination()).as("progress: still the original sender").isEqualTo(B);
        assertThat(NakControl.from(second.buffer(), second.payloadOffset(), 0)).isEqualTo(66);
        assertThat(NakControl.to(second.buffer(), second.payloadOffset(), 0)).isEqualTo(201);
    }

    @Test
    void shouldKeepTheDelayForGapsOneAnswerHolds() {
        h.fromPeer("b", seq(1, 1), "1").fromPeer("b", seq(12, 1), "12");
        h.advance(3, MILLISECONDS);
        assertThat(naks()).hasSize(1);
        for (int s = 2; s <= 11; s++) {
            h.fromPeer("b", seq(s, 1, OriginSeqHeader.FLAG_COPY), "copy");
        }
        h.fromPeer("b", seq(14, 1), "14");
        assertThat(naks()).as("a new small gap may be reordering: nak-delay first").hasSize(1);
        h.advance(3, MILLISECONDS);
        assertThat(naks()).hasSize(2);
    }

    @Test
    void shouldFallBackToTheTimerWhenAnAnswerComesShort() {
        h.fromPeer("b", seq(1, 1), "1").fromPeer("b", seq(202, 1), "202");
        h.advance(3, MILLISECONDS);
        for (int s = 2; s <= 40; s++) {
            h.fromPeer("b", seq(s, 1, OriginSeqHeader.FLAG_COPY), "copy");
        }
        assertThat(naks()).as("the rest of the answer may still come").hasSize(1);
        h.advance(11, MILLISECONDS);
        assertThat(naks()).as("nak-interval after the first NAK").hasSize(2);
    }

    @Test
    void shouldDetectALostLastMessageFromTheHighestAnnouncement() {
        h.fromPeer("b", seq(1, 1), "1");
        h.controlFromPeer("b", NakControl.HIGHEST_LENGTH, (b, o) -> NakControl.writeHighest(b, o, h.viewTag(1), 1, 3));
        h.advance(3, MILLISECONDS);
        assertThat(naks()).hasSize(1);
        assertThat(NakControl.from(naks().get(0).buffer(), naks().get(0).payloadOffset(), 0)).isEqualTo(2);
        assertThat(NakControl.to(naks().get(0).buffer(), naks().get(0).payloadOffset(), 0)).isEqualTo(3);
    }

    @Test
    void shouldAnnounceItsHighestWhileMessagesAreUnstable() {
        h.cast("x");
        h.advance(25, MILLISECONDS);
        final List<Frame> highest = h.controlSentDown().stream()
            .filter(f -> f.payload()[0] == NakControl.HIGHEST).toList();
        assertThat(highest).isNotEmpty();
        assertThat(NakControl.highest(highest.get(0).buffer(), highest.get(0).payloadOffset())).isEqualTo(1);
        h.down(new Trim(1, new long[] {1, 0, 0}));
        h.clear();
        h.advance(100, MILLISECONDS);
        assertThat(h.controlSentDown()).as("stable: nothing more to announce").isEmpty();
    }

    @Test
    void shouldRetransmitOwnMessagesPointToPointOnNak() {
        h.cast("x").cast("y");
        h.clear();
        h.controlFromPeer("b", NakControl.nakLength(1), nak(0, 2, 2));
        assertThat(h.dataSentDown()).hasSize(1);
        final Frame f = h.dataSentDown().get(0);
        assertThat(f.destination()).isEqualTo(B);
        assertThat(f.payloadString()).isEqualTo("y");
        assertThat(flagsOf(f)).isEqualTo(OriginSeqHeader.FLAG_COPY);
        assertThat(h.counter("retransmitted")).isEqualTo(1);
    }

    @Test
    void shouldRetransmitAnotherMembersMessageItHolds() {
        h.fromPeer("b", seq(1, 1), "from-b");
        h.controlFromPeer("c", NakControl.nakLength(1), nak(1, 1, 1));
        assertThat(h.dataSentDown()).hasSize(1);
        final Frame f = h.dataSentDown().get(0);
        assertThat(f.destination()).isEqualTo(C);
        assertThat(f.sender()).as("the original sender stays in the frame").isEqualTo(B);
    }

    @Test
    void shouldDeliverARelayedRetransmissionAsTheOriginalsMulticastOnce() {
        h.fromPeer("c", 1, true, seq(1, 1, OriginSeqHeader.FLAG_COPY), "relayed".getBytes());
        assertThat(h.deliveredUp()).hasSize(1);
        assertThat(h.deliveredUp().get(0).sender()).isEqualTo(B);
        assertThat(h.deliveredUp().get(0).isUnicast()).isFalse();
        h.fromPeer("b", seq(1, 1), "late original");
        assertThat(h.deliveredUp()).hasSize(1);
        assertThat(h.counter("duplicates")).isEqualTo(1);
    }

    @Test
    void shouldRejectOriginThatDoesNotMatchTheSenderOfAnOriginal() {
        h.fromPeer("c", seq(1, 1), "forged");
        assertThat(h.deliveredUp()).isEmpty();
        assertThat(h.counter("malformed")).isEqualTo(1);
        h.fromPeer("c", seq(1, 9), "bad rank");
        assertThat(h.counter("malformed")).isEqualTo(2);
    }

    @Test
    void shouldDropMessagesBeyondTheWindowAndAskForTheGap() {
        h.fromPeer("b", seq(65_536 + 5, 1), "far ahead");
        assertThat(h.deliveredUp()).isEmpty();
        assertThat(h.counter("out_of_window")).isEqualTo(1);
        h.advance(3, MILLISECONDS);
        assertThat(naks()).hasSize(1);
    }

    @Test
    void shouldTrimCopiesOnStabilityAndNotRetransmitThem() {
        h.cast("1").cast("2").cast("3");
        final long full = h.counter("gauge.retransmit_bytes");
        h.down(new Trim(1, new long[] {2, 0, 0}));
        assertThat(h.counter("gauge.retransmit_bytes")).isLessThan(full).isGreaterThan(0);
        h.clear();
        h.controlFromPeer("b", NakControl.nakLength(1), nak(0, 1, 3));
        assertThat(h.dataSentDown()).extracting(Frame::payloadString).containsExactly("3");
    }

    @Test
    void shouldIgnoreMalformedStaleAndStrangerControlFrames() {
        h.controlFromPeer("b", 5, (b, o) -> b.putByte(o, (byte) 1));
        h.controlFromPeer("b", NakControl.nakLength(1), (b, o) -> {
            NakControl.writeNak(b, o, h.viewTag(1), 0, new long[] {1, 1}, 1);
            b.putShort(o + NakControl.COUNT_OFFSET, (short) 2, java.nio.ByteOrder.LITTLE_ENDIAN);
        });
        assertThat(h.counter("malformed")).isEqualTo(2);
        h.controlFromPeer("b", NakControl.nakLength(1),
            (b, o) -> NakControl.writeNak(b, o, h.viewTag(7), 0, new long[] {1, 1}, 1));
        h.controlFromPeer("b", NakControl.nakLength(1),
            (b, o) -> NakControl.writeNak(b, o, h.otherViewTag(1), 0, new long[] {1, 1}, 1));
        h.controlFromPeer("mallory", NakControl.nakLength(1), nak(0, 1, 1));
        assertThat(h.counter("no_view")).isEqualTo(3);
        assertThat(h.sentDown()).isEmpty();
    }

    @Test
    void shouldRestartNumberingInANewView() {
        h.cast("old");
        final View next = new View(new ViewId(2, new MemberId("a", 0)),
            List.of(new MemberId("a", 0), new MemberId("b", 0)), true);
        h.down(new InstallView(next));
        h.clear();
        h.cast("new");
        assertThat(seqOf(h.dataSentDown().get(0))).isEqualTo(1);
        assertThat(h.counter("gauge.retransmit_bytes")).isEqualTo(h.dataSentDown().get(0).bytes().length);
    }

    @Test
    void shouldGiveTheLastViewsCopiesBackToThePoolWhenTheNextViewStarts() {
        // 5,000-byte chunks: no other log in this JVM has them, so the pool's count is this layer's alone.
        final LayerHarness small = LayerHarness.of(new NakReliabilityLayer()).members("a", "b", "c")
            .settings("nak-reliability", "store-chunk-size = 5000").build();
        for (int i = 0; i < 200; i++) {
            small.cast("a message of some sixty bytes, stored until stable, " + i);
        }
        final long before = io.cairn.stack.store.MessageLog.pooledBytes();
        small.down(new InstallView(new View(new ViewId(2, new MemberId("a", 0)),
            List.of(new MemberId("a", 0), new MemberId("b", 0)), true)));
        assertThat(io.cairn.stack.store.MessageLog.pooledBytes() - before).as("view 1's full-size chunks")
            .isGreaterThanOrEqualTo(5000).matches(g -> g % 5000 == 0);
    }

    @Test
    void shouldNotAnswerNaksOfAnEarlierView() {
        h.cast("x");
        h.down(new InstallView(new View(new ViewId(2, new MemberId("a", 0)),
            List.of(new MemberId("a", 0), new MemberId("b", 0)), true)));
        h.clear();
        h.controlFromPeer("b", NakControl.nakLength(1), nak(0, 1, 1));
        assertThat(h.sentDown()).isEmpty();
        assertThat(A).isNotEqualTo(B);
    }
}
