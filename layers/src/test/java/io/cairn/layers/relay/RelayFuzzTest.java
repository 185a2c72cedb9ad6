package io.cairn.layers.relay;

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

/** Fuzzes the relay layer's header and control frames through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class RelayFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new RelayLayer()).members("a", "b", "c").settings("relay", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, RelayFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(RelayFuzzTest.class, "frames", Map.of(
            "casts", new FuzzScript.Builder().data(1, 0, concat(seq(1, 1, 0), "x".getBytes()))
                .data(2, 1, concat(seq(2, 1, OriginSeqHeader.FLAG_COPY), "y".getBytes())).bytes(),
            "request", new FuzzScript.Builder().cast("m".getBytes()).control(1, control(RelayControl.REQUEST, 0, 1, 1))
                .control(2, control(RelayControl.HIGHEST, 1, 0, 5)).advance(50).bytes()));
    }

    private static byte[] seq(final long seq, final int origin, final int flags) {
        return encode(OriginSeqHeader.LENGTH, (b, o) -> OriginSeqHeader.write(b, o, seq, origin, flags));
    }

    private static byte[] control(final byte type, final int origin, final long from, final long to) {
        return encode(RelayControl.LENGTH, (b, o) -> RelayControl.write(b, o, type, TAG, origin, from, to));
    }
}
