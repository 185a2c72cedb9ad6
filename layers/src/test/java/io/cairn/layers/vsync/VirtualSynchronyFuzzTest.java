package io.cairn.layers.vsync;

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

/** Fuzzes the flush's control frames through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class VirtualSynchronyFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new VirtualSynchronyLayer()).members("a", "b", "c")
            .settings("virtual-synchrony", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, VirtualSynchronyFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(VirtualSynchronyFuzzTest.class, "frames", Map.of(
            "flush", new FuzzScript.Builder().data(1, 0, "x".getBytes())
                .control(1, flush(FlushControl.FLUSH_OK, 0, 1, 0))
                .control(0, flush(FlushControl.CUT, 0, 1, 0)).control(0, flush(FlushControl.DONE)).bytes()));
    }

    private static byte[] flush(final byte type, final long... vector) {
        final long[] v = type == FlushControl.DONE ? null : vector;
        return encode(FlushControl.length(v == null ? 0 : v.length),
            (b, o) -> FlushControl.write(b, o, type, 1, TAG, v));
    }
}
