package io.cairn.layers.total;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.layers.FuzzScript;
import io.cairn.testkit.LayerHarness;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static io.cairn.layers.FuzzScript.TAG;
import static io.cairn.layers.FuzzScript.concat;
import static io.cairn.layers.FuzzScript.encode;

/** Fuzzes the sequencer's header and ORDER body through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class SequencerTotalFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new SequencerTotalLayer()).members("a", "b", "c").self("b")
            .settings("sequencer-total", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, SequencerTotalFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(SequencerTotalFuzzTest.class, "frames", Map.of(
            "data-order", new FuzzScript.Builder().data(2, 0, concat(kind(TotalHeader.DATA), "x".getBytes()))
                .data(0, 0, concat(kind(TotalHeader.ORDER), order(1, 2, 1))).bytes(),
            "order-first", new FuzzScript.Builder().data(0, 0, concat(kind(TotalHeader.ORDER), order(1, 0, 1)))
                .cast("m".getBytes())
                .data(0, 0, concat(kind(TotalHeader.DATA), "y".getBytes())).advance(20).bytes()));
    }

    private static byte[] kind(final byte kind) {
        return encode(TotalHeader.LENGTH, (b, o) -> TotalHeader.kind(b, o, kind));
    }

    private static byte[] order(final long base, final int rank, final long k) {
        return encode(TotalHeader.orderLength(1),
            (b, o) -> TotalHeader.writeOrder(b, o, base, new int[] {rank}, new long[] {k}, 1));
    }
}
