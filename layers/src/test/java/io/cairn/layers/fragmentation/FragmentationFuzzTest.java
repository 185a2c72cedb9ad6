package io.cairn.layers.fragmentation;

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

/** Fuzzes the fragmentation header and reassembly through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class FragmentationFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new FragmentationLayer()).members("a", "b", "c")
            .settings("fragmentation", "max-message-size = 100K, max-partial-messages = 4").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, FragmentationFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(FragmentationFuzzTest.class, "frames", Map.of(
            "whole", new FuzzScript.Builder().data(1, 0, concat(header(0, 0, 1, 0, 1), "x".getBytes())).bytes(),
            "two-fragments", new FuzzScript.Builder().data(1, 0, concat(header(7, 0, 6, 0, 2), "abc".getBytes()))
                .data(1, 0, concat(header(7, 3, 6, 1, 2), "def".getBytes())).bytes()));
    }

    private static byte[] header(final int id, final int offset, final int total, final int index, final int count) {
        return encode(FragmentHeader.LENGTH, (b, o) -> FragmentHeader.write(b, o, id, offset, total, index, count));
    }
}
