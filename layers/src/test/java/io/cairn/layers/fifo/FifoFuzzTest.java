package io.cairn.layers.fifo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.layers.FuzzScript;
import io.cairn.testkit.LayerHarness;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static io.cairn.layers.FuzzScript.concat;
import static io.cairn.layers.FuzzScript.encode;

/** Fuzzes the FIFO layer's header through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class FifoFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new FifoLayer()).members("a", "b", "c").settings("fifo", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, FifoFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(FifoFuzzTest.class, "frames", Map.of(
            "in-order", new FuzzScript.Builder().data(1, 0, concat(seq(1), "x".getBytes()))
                .data(1, 0, concat(seq(2), "y".getBytes())).bytes(),
            "gap", new FuzzScript.Builder().data(2, 0, concat(seq(3), "z".getBytes())).cast("m".getBytes())
                .advance(50).data(2, 0, concat(seq(1), "w".getBytes())).bytes()));
    }

    private static byte[] seq(final long seq) {
        return encode(FifoHeader.LENGTH, (b, o) -> FifoHeader.seq(b, o, seq));
    }
}
