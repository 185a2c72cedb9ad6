package io.cairn.layers.causal;

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

/** Fuzzes the causal layer's header and trailer through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class CausalFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new CausalLayer()).members("a", "b", "c").settings("causal", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, CausalFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(CausalFuzzTest.class, "frames", Map.of(
            "no-deps", new FuzzScript.Builder().data(1, 0, concat(header(0), "x".getBytes())).bytes(),
            "depends", new FuzzScript.Builder().data(2, 0, concat(header(1), "y".getBytes(), entry(1, 1)))
                .data(1, 0, concat(header(0), "x".getBytes())).bytes()));
    }

    private static byte[] header(final int n) {
        return encode(CausalHeader.LENGTH, (b, o) -> CausalHeader.entries(b, o, n));
    }

    private static byte[] entry(final int rank, final long count) {
        return encode(CausalHeader.ENTRY, (b, o) -> CausalHeader.entry(b, o, 0, rank, count));
    }
}
