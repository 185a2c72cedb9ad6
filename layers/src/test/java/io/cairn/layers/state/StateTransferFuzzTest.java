package io.cairn.layers.state;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.layers.FuzzScript;
import io.cairn.stack.event.StateSnapshotRequest;
import io.cairn.stack.wire.ViewTag;
import io.cairn.testkit.LayerHarness;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.cairn.layers.FuzzScript.encode;

/**
 * Fuzzes the state transfer's control frames through the layer ({@link FuzzScript}; docs/fuzzing.md): this member
 * ({@code c}) has just joined, so chunks are what it waits for; {@code b} is a provider it may be asked by.
 */
class StateTransferFuzzTest {
    private static final MemberId A = new MemberId("a", 0);
    private static final MemberId B = new MemberId("b", 0);
    private static final MemberId C = new MemberId("c", 0);
    private static final View V1 = new View(new ViewId(1, A), List.of(A, B), true);
    private static final View V2 = new View(new ViewId(2, A), List.of(A, B, C), true);
    private static final long TAG = ViewTag.of(V2.id());

    private static LayerHarness harness() {
        final LayerHarness h = LayerHarness.of(new StateTransferLayer()).members("a", "b", "c").self("c")
            .settings("state-transfer", "chunk-size = 100, window = 4").noView()
            .application(e -> {
                if (e instanceof StateSnapshotRequest r) {
                    r.provide(new ByteArrayInputStream(new byte[250]));
                }
            }).build();
        h.viewFromBelow(V1);
        h.viewFromBelow(V2);
        return h;
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, StateTransferFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(StateTransferFuzzTest.class, "frames", Map.of(
            "chunks", new FuzzScript.Builder().control(0, chunk(0, false, "abc".getBytes()))
                .control(0, chunk(3, true, "de".getBytes())).advance(10).bytes(),
            "ack", new FuzzScript.Builder().control(1, encode(StateControl.ACK_LENGTH,
                (b, o) -> StateControl.writeAck(b, o, TAG, 100))).advance(10).bytes()));
    }

    private static byte[] chunk(final long offset, final boolean last, final byte[] data) {
        return encode(StateControl.DATA_OFFSET + data.length,
            (b, o) -> StateControl.writeChunk(b, o, TAG, offset, last, data, data.length));
    }
}
