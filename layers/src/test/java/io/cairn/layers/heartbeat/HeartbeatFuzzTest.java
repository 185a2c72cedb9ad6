package io.cairn.layers.heartbeat;

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

/** Fuzzes the failure detector's control frames through the layer ({@link FuzzScript}; docs/fuzzing.md). */
class HeartbeatFuzzTest {
    private static LayerHarness harness() {
        return LayerHarness.of(new HeartbeatLayer()).members("a", "b", "c").settings("heartbeat", "").build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, HeartbeatFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(HeartbeatFuzzTest.class, "frames", Map.of(
            "heartbeat", new FuzzScript.Builder().control(1, control(HeartbeatControl.HEARTBEAT)).advance(100).bytes(),
            "probe", new FuzzScript.Builder().control(2, control(HeartbeatControl.PROBE))
                .control(2, control(HeartbeatControl.PROBE_REPLY))
                .advance(250).bytes()));
    }

    private static byte[] control(final byte type) {
        return encode(HeartbeatControl.LENGTH, (b, o) -> HeartbeatControl.write(b, o, type, TAG));
    }
}
