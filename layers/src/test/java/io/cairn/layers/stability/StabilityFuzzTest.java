package io.cairn.layers.stability;

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

/** Fuzzes the stability gossip through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class StabilityFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new StabilityLayer()).members("a", "b", "c").settings("stability", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, StabilityFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(StabilityFuzzTest.class, "frames", Map.of(
            "gossip", new FuzzScript.Builder().data(1, 0, "x".getBytes()).control(1, gossip(false, 0, 1, 0))
                .control(2, gossip(true, 0, 1, 0)).advance(100).bytes()));
    }

    private static byte[] gossip(final boolean waiting, final long... vector) {
        return encode(StabilityGossip.length(vector.length),
            (b, o) -> StabilityGossip.write(b, o, TAG, vector, waiting));
    }
}
