package io.cairn.layers.flow;

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

/** Fuzzes credit-flow's control frames through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class CreditFlowFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new CreditFlowLayer()).members("a", "b", "c").settings("credit-flow", "max-credits = 4K")
            .build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, CreditFlowFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(CreditFlowFuzzTest.class, "frames", Map.of(
            "grant", new FuzzScript.Builder().cast(new byte[200]).control(1, control(CreditControl.GRANT, 4096))
                .bytes(),
            "request", new FuzzScript.Builder().data(1, 0, new byte[300])
                .control(1, control(CreditControl.REQUEST, 300))
                .control(2, control(CreditControl.REQUEST_UNI, 10)).control(2, control(CreditControl.GRANT_UNI, 99))
                .bytes()));
    }

    private static byte[] control(final byte kind, final long value) {
        return encode(CreditControl.LENGTH, (b, o) -> CreditControl.write(b, o, kind, TAG, value));
    }
}
