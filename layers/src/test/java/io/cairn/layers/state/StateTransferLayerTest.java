package io.cairn.layers.state;

import io.cairn.stack.event.Exited;
import io.cairn.api.MemberId;
import io.cairn.stack.event.StateChunk;
import io.cairn.stack.event.StateSnapshotRequest;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class StateTransferLayerTest {
    private static final MemberId A = new MemberId("a", 0);
    private static final MemberId B = new MemberId("b", 0);
    private static final MemberId C = new MemberId("c", 0);
    private static final View V1 = new View(new ViewId(1, A), List.of(A, B), true);
    private static final View V2 = new View(new ViewId(2, A), List.of(A, B, C), true);

    /** A harness whose application answers snapshot requests with {@code state}. */
    private static LayerHarness harness(final String self, final byte[] state) {
        return LayerHarness.of(new StateTransferLayer()).members("a", "b", "c").self(self)
            .settings("state-transfer", "chunk-size = 100, window = 4").noView()
            .application(e -> {
                if (e instanceof StateSnapshotRequest r && state != null) {
                    r.provide(new ByteArrayInputStream(state));
                }
            }).build();
    }

    /** Installs a view the way membership does: down (the bottom learns the epoch), then up. */
    private static void install(final LayerHarness h, final View v) {
        h.viewFromBelow(v);
    }

    private static List<Frame> chunks(final LayerHarness h) {
        return h.controlSentDown().stream().filter(f -> f.payload()[0] == StateControl.CHUNK).toList();
    }

    private static void ack(final LayerHarness h, final String from, final long value) {
        h.controlFromPeer(from, StateControl.ACK_LENGTH, (b, o) -> StateControl.writeAck(b, o, h.viewTag(2), value));
    }

    @Test
    void shouldAskTheApplicationForASnapshotAtTheInstallAndStreamItInAWindowOfChunks() {
        final byte[] state = new byte[550];
        for (int i = 0; i < state.length; i++) {
            state[i] = (byte) i;
        }
        final LayerHarness h = harness("a", state);
        install(h, V1);
        assertThat(chunks(h)).isEmpty();
        install(h, V2);
        assertThat(h.eventsUp()).anyMatch(e -> e instanceof StateSnapshotRequest r && r.joiner().equals(C));
        assertThat(chunks(h)).as("window of 4 chunks of 100 bytes").hasSize(4);
        assertThat(chunks(h)).allMatch(f -> f.destination() == C.key());
        ack(h, "c", 200);
        assertThat(chunks(h)).hasSize(6);
        assertThat(StateControl.last(chunks(h).get(5).buffer(), chunks(h).get(5).payloadOffset())).isTrue();
        h.advance(25, MILLISECONDS);
        assertThat(chunks(h)).as("unacknowledged chunks resent after the retry interval").hasSize(10);
        ack(h, "c", 551);
        h.advance(100, MILLISECONDS);
        assertThat(chunks(h)).as("complete: nothing more").hasSize(10);
    }

    @Test
    void shouldHoldDeliveriesUntilTheStateIsCompleteThenReleaseThemInOrder() {
        final LayerHarness h = harness("c", null);
        install(h, V2);
        h.fromPeer("a", (b, o) -> { }, "m1").fromPeer("b", (b, o) -> { }, "m2");
        assertThat(h.deliveredPayloads()).isEmpty();
        final byte[] first = "hello ".getBytes();
        final byte[] second = "world".getBytes();
        h.controlFromPeer("a", StateControl.DATA_OFFSET + first.length,
            (b, o) -> StateControl.writeChunk(b, o, h.viewTag(2), 0, false, first, first.length));
        h.controlFromPeer("a", StateControl.DATA_OFFSET + second.length,
            (b, o) -> StateControl.writeChunk(b, o, h.viewTag(2), 100, false, second, second.length));
        assertThat(h.deliveredPayloads()).isEmpty();
        h.controlFromPeer("a", StateControl.DATA_OFFSET + second.length,
            (b, o) -> StateControl.writeChunk(b, o, h.viewTag(2), first.length, true, second, second.length));
        final ByteArrayOutputStream state = new ByteArrayOutputStream();
        h.eventsUp().stream().filter(e -> e instanceof StateChunk).forEach(e -> state.writeBytes(((StateChunk) e)
            .data()));
        assertThat(state.toString()).as("the out-of-order chunk was ignored").isEqualTo("hello world");
        assertThat(h.deliveredPayloads()).containsExactly("m1", "m2");
        final Frame lastAck = h.controlSentDown().get(h.controlSentDown().size() - 1);
        assertThat(StateControl.offset(lastAck.buffer(), lastAck.payloadOffset())).isEqualTo(12);
    }

    @Test
    void shouldExitWhenItsProviderIsGoneBeforeTheStateIsComplete() {
        final LayerHarness h = harness("c", null);
        install(h, V2);
        install(h, new View(new ViewId(3, B), List.of(B, C), true));
        assertThat(h.eventsUp()).anyMatch(e -> e instanceof Exited x
            && x.reason().equals(StateTransferLayer.INTERRUPTED) && x.rejoin());
        assertThat(h.eventsUp()).as("it never installs the view it could not reach with a complete state")
            .noneMatch(e -> e instanceof ViewInstalled vi && vi.view().id().epoch() == 3);
        h.fromPeer("b", 3, false, (b, o) -> { }, "after".getBytes());
        assertThat(h.deliveredUp()).isEmpty();
    }

    @Test
    void shouldRejectMalformedControlFrames() {
        final LayerHarness h = harness("c", null);
        install(h, V2);
        h.controlFromPeer("a", StateControl.DATA_OFFSET + 1, (b, o) -> {
            StateControl.writeChunk(b, o, h.viewTag(2), 0, false, new byte[1], 1);
            b.putShort(o + StateControl.LENGTH_OFFSET, (short) 5, java.nio.ByteOrder.LITTLE_ENDIAN);
        });
        h.controlFromPeer("a", 3, (b, o) -> b.putByte(o, StateControl.ACK));
        assertThat(h.counter("malformed")).isEqualTo(2);
        assertThat(h.deliveredUp()).isEmpty();
    }
}
