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
                .advance(250).bytes(),
            // The shared format (the default): the node's generation after the type and view tag.
            "heartbeat-shared", new FuzzScript.Builder().control(1, shared(HeartbeatControl.HEARTBEAT, 3))
                .advance(100).control(1, shared(HeartbeatControl.HEARTBEAT, 4)).advance(1200).bytes(),
            "probe-shared", new FuzzScript.Builder().control(2, shared(HeartbeatControl.PROBE, 1))
                .control(2, shared(HeartbeatControl.PROBE_REPLY, 2)).control(2, control(HeartbeatControl.PROBE))
                .advance(250).bytes()));
    }

    private static byte[] control(final byte type) {
        return encode(HeartbeatControl.LENGTH, (b, o) -> HeartbeatControl.write(b, o, type, TAG));
    }

    private static byte[] shared(final byte type, final long generation) {
        return encode(HeartbeatControl.LENGTH_WITH_GENERATION, (b, o) -> {
            HeartbeatControl.write(b, o, type, TAG);
            HeartbeatControl.writeGeneration(b, o, generation);
        });
    }
}
