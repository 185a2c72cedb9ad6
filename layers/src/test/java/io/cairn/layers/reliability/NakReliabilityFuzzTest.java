package io.cairn.layers.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.layers.FuzzScript;
import io.cairn.stack.wire.OriginSeqHeader;
import io.cairn.testkit.LayerHarness;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static io.cairn.layers.FuzzScript.TAG;
import static io.cairn.layers.FuzzScript.concat;
import static io.cairn.layers.FuzzScript.encode;

/** Fuzzes the NAK layer's header and control frames through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class NakReliabilityFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new NakReliabilityLayer()).members("a", "b", "c").settings("nak-reliability", "")
            .build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, NakReliabilityFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(NakReliabilityFuzzTest.class, "frames", Map.of(
            "gap", new FuzzScript.Builder().data(1, 0, concat(seq(1, 1, 0), "x".getBytes()))
                .data(1, 0, concat(seq(3, 1, 0), "z".getBytes()))
                .advance(30).data(2, 1, concat(seq(2, 1, OriginSeqHeader.FLAG_COPY), "y".getBytes())).bytes(),
            "nak-highest", new FuzzScript.Builder().cast("m".getBytes()).control(1, nak(0, 1, 1))
                .control(2, highest(1, 4)).advance(40)
                .bytes()));
    }

    private static byte[] seq(final long seq, final int origin, final int flags) {
        return encode(OriginSeqHeader.LENGTH, (b, o) -> OriginSeqHeader.write(b, o, seq, origin, flags));
    }

    private static byte[] nak(final int origin, final long from, final long to) {
        return encode(NakControl.nakLength(1),
            (b, o) -> NakControl.writeNak(b, o, TAG, origin, new long[] {from, to}, 1));
    }

    private static byte[] highest(final int origin, final long highest) {
        return encode(NakControl.HIGHEST_LENGTH, (b, o) -> NakControl.writeHighest(b, o, TAG, origin, highest));
    }
}
