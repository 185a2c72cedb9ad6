package io.cairn.layers.symmetric;

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

/** Fuzzes the symmetric-total header through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class SymmetricTotalFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new SymmetricTotalLayer()).members("a", "b", "c").settings("symmetric-total", "")
            .build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, SymmetricTotalFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(SymmetricTotalFuzzTest.class, "frames", Map.of(
            "data-null", new FuzzScript.Builder().data(1, 0, concat(header(SymmetricHeader.DATA, 1), "x".getBytes()))
                .data(2, 0, header(SymmetricHeader.NULL, 2)).cast("m".getBytes()).bytes(),
            "base", new FuzzScript.Builder().data(0, 0, concat(header(SymmetricHeader.BASE, 1), new byte[8]))
                .advance(10).bytes()));
    }

    private static byte[] header(final byte kind, final long ts) {
        return encode(SymmetricHeader.LENGTH, (b, o) -> SymmetricHeader.write(b, o, kind, ts));
    }
}
