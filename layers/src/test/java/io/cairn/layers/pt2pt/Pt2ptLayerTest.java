package io.cairn.layers.pt2pt;

import io.cairn.api.MemberId;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class Pt2ptLayerTest {
    private static final long B = MemberId.keyOf("b", 0);

    private final LayerHarness h = LayerHarness.of(new Pt2ptLayer()).members("a", "b", "c")
        .settings("pt2pt", "window = 2").build();

    private static LayerHarness.HeaderWriter seq(final long s) {
        return (b, o) -> Pt2ptHeader.seq(b, o, s);
    }

    private void ack(final String from, final long acked) {
        h.controlFromPeer(from, Pt2ptHeader.ACK_LENGTH, (b, o) -> Pt2ptHeader.writeAck(b, o, h.viewTag(1), acked));
    }

    private long seqOf(final Frame f) {
        return Pt2ptHeader.seq(f.buffer(), h.headerOffset());
    }

    @Test
    void shouldNumberSendsPerDestinationAndHoldThemUntilAcknowledged() {
        h.send("b", "1").send("c", "c1");
        assertThat(h.dataSentDown()).extracting(this::seqOf).containsExactly(1L, 1L);
        assertThat(h.dataSentDown().get(0).destination()).isEqualTo(B);
        assertThat(h.counter("gauge.unacked_bytes")).isGreaterThan(0);
        ack("b", 1);
        ack("c", 1);
        assertThat(h.counter("gauge.unacked_bytes")).isZero();
    }

    @Test
    void shouldQueueBeyondTheWindowAndSendOnAck() {
        h.send("b", "1").send("b", "2").send("b", "3");
        assertThat(h.dataSentDown()).extracting(Frame::payloadString).containsExactly("1", "2");
        assertThat(h.counter("queued")).isEqualTo(1);
        ack("b", 1);
        assertThat(h.dataSentDown()).extracting(Frame::payloadString).containsExactly("1", "2", "3");
    }

    @Test
    void shouldRetransmitUnacknowledgedSendsWithBackoff() {
        h.send("b", "1");
        h.advance(45, MILLISECONDS);
        assertThat(h.dataSentDown()).as("first resend after 40 ms").hasSize(2);
        h.advance(45, MILLISECONDS);
        assertThat(h.dataSentDown()).as("then the timeout doubles to 80 ms").hasSize(2);
        h.advance(35, MILLISECONDS);
        assertThat(h.dataSentDown()).hasSize(3);
        h.advance(140, MILLISECONDS);
        assertThat(h.dataSentDown()).as("and to 160 ms").hasSize(3);
        h.advance(40, MILLISECONDS);
        assertThat(h.dataSentDown()).hasSize(4);
        ack("b", 1);
        h.advance(2000, MILLISECONDS);
        assertThat(h.dataSentDown()).as("acknowledged: no more resends").hasSize(4);
        assertThat(h.counter("retransmitted")).isEqualTo(3);
    }

    @Test
    void shouldDeliverInOrderHoldingBackAndDroppingDuplicatesThenAck() {
        h.fromPeer("b", 1, true, seq(2), "2".getBytes());
        assertThat(h.deliveredUp()).isEmpty();
        h.fromPeer("b", 1, true, seq(1), "1".getBytes());
        h.fromPeer("b", 1, true, seq(1), "1".getBytes());
        assertThat(h.deliveredPayloads()).containsExactly("1", "2");
        assertThat(h.counter("duplicates")).isEqualTo(1);
        final List<Frame> acks = h.controlSentDown();
        assertThat(acks).isNotEmpty();
        final Frame last = acks.get(acks.size() - 1);
        assertThat(Pt2ptHeader.acked(last.buffer(), last.payloadOffset())).isEqualTo(2);
        assertThat(last.destination()).isEqualTo(B);
    }

    @Test
    void shouldPassMulticastsAndRefuseSendsToStrangersAndBogusAcks() {
        h.fromPeer("b", seq(0), "multicast");
        assertThat(h.deliveredPayloads()).containsExactly("multicast");
        h.send("mallory", "x");
        assertThat(h.dataSentDown()).isEmpty();
        ack("b", 99);
        h.controlFromPeer("b", 3, (b, o) -> b.putByte(o, (byte) 1));
        assertThat(h.counter("malformed")).isEqualTo(3);
    }
}
