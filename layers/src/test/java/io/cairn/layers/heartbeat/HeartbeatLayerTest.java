package io.cairn.layers.heartbeat;

import io.cairn.api.MemberId;
import io.cairn.stack.event.Suspected;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatLayerTest {
    private final LayerHarness h = LayerHarness.of(new HeartbeatLayer()).members("a", "b", "c")
        .settings("heartbeat", "").build();

    private void beatFrom(final String member) {
        h.controlFromPeer(member, HeartbeatControl.LENGTH,
            (b, o) -> HeartbeatControl.write(b, o, HeartbeatControl.HEARTBEAT, h.viewTag(1)));
    }

    private List<Frame> ofType(final byte type) {
        return h.controlSentDown().stream().filter(f -> f.payload()[0] == type).toList();
    }

    private List<Suspected> suspected() {
        return h.eventsUp().stream().filter(e -> e instanceof Suspected).map(e -> (Suspected) e).toList();
    }

    /** Advances in 100 ms steps, b beating each step, c silent. */
    private void runWithOnlyBAlive(final int steps) {
        for (int i = 0; i < steps; i++) {
            beatFrom("b");
            h.advance(100, MILLISECONDS);
        }
    }

    @Test
    void shouldMulticastHeartbeatsEveryInterval() {
        h.advance(350, MILLISECONDS);
        assertThat(ofType(HeartbeatControl.HEARTBEAT)).hasSizeBetween(3, 4).allMatch(f -> f.destination() == 0);
    }

    @Test
    void shouldProbeASilentMemberTwiceThenSuspectItOnly() {
        runWithOnlyBAlive(9);
        assertThat(ofType(HeartbeatControl.PROBE)).as("nothing before the 1 s timeout").isEmpty();
        runWithOnlyBAlive(2);
        assertThat(ofType(HeartbeatControl.PROBE)).isNotEmpty()
            .allMatch(f -> f.destination() == MemberId.keyOf("c", 0));
        assertThat(suspected()).as("not before the probes went unanswered").isEmpty();
        runWithOnlyBAlive(3);
        assertThat(ofType(HeartbeatControl.PROBE)).hasSize(2);
        assertThat(suspected()).extracting(Suspected::member).containsExactly(new MemberId("c", 0));
        runWithOnlyBAlive(20);
        assertThat(suspected()).as("once per view").hasSize(1);
    }

    @Test
    void shouldNotSuspectAMemberThatAnswersAProbe() {
        runWithOnlyBAlive(11);
        assertThat(ofType(HeartbeatControl.PROBE)).hasSize(1);
        h.controlFromPeer("c", HeartbeatControl.LENGTH,
            (b, o) -> HeartbeatControl.write(b, o, HeartbeatControl.PROBE_REPLY, h.viewTag(1)));
        runWithOnlyBAlive(5);
        assertThat(suspected()).isEmpty();
    }

    @Test
    void shouldCountDataFromAMemberAsLife() {
        for (int i = 0; i < 30; i++) {
            beatFrom("b");
            h.fromPeer("c", (b, o) -> { }, "data");
            h.advance(100, MILLISECONDS);
        }
        assertThat(suspected()).isEmpty();
        assertThat(ofType(HeartbeatControl.PROBE)).isEmpty();
    }

    @Test
    void shouldAnswerProbesAndIgnoreMalformedOrOtherViews() {
        h.controlFromPeer("b", HeartbeatControl.LENGTH,
            (b, o) -> HeartbeatControl.write(b, o, HeartbeatControl.PROBE, h.viewTag(1)));
        assertThat(ofType(HeartbeatControl.PROBE_REPLY)).hasSize(1);
        assertThat(ofType(HeartbeatControl.PROBE_REPLY).get(0).destination()).isEqualTo(MemberId.keyOf("b", 0));
        h.controlFromPeer("b", 3, (b, o) -> b.putByte(o, (byte) 1));
        assertThat(h.counter("malformed")).isEqualTo(1);
        h.controlFromPeer("b", HeartbeatControl.LENGTH,
            (b, o) -> HeartbeatControl.write(b, o, HeartbeatControl.PROBE, h.viewTag(99)));
        // Another partition's view of this very epoch is another view too.
        h.controlFromPeer("b", HeartbeatControl.LENGTH,
            (b, o) -> HeartbeatControl.write(b, o, HeartbeatControl.PROBE, h.otherViewTag(1)));
        assertThat(ofType(HeartbeatControl.PROBE_REPLY)).hasSize(1);
    }
}
