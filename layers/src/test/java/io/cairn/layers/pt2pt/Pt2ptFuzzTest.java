package io.cairn.layers.pt2pt;

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

/** Fuzzes the pt2pt header and its ACK through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class Pt2ptFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new Pt2ptLayer()).members("a", "b", "c").settings("pt2pt", "window = 2").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, Pt2ptFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(Pt2ptFuzzTest.class, "frames", Map.of(
            "send", new FuzzScript.Builder().data(1, 1, concat(seq(1), "x".getBytes()))
                .data(1, 1, concat(seq(3), "z".getBytes()))
                .advance(20).bytes(),
            "ack", new FuzzScript.Builder()
                .control(1, encode(Pt2ptHeader.ACK_LENGTH, (b, o) -> Pt2ptHeader.writeAck(b, o, TAG, 1))).bytes()));
    }

    private static byte[] seq(final long seq) {
        return encode(Pt2ptHeader.LENGTH, (b, o) -> Pt2ptHeader.seq(b, o, seq));
    }
}
