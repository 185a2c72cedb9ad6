package io.cairn.layers.heartbeat;

import io.cairn.api.MemberId;
import io.cairn.stack.event.Suspected;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector on its own, sharing liveness (the default: 17-byte control frames carrying the node's generation);
 * {@link UnsharedHeartbeatLayerTest} runs the same cases with {@code share-liveness = false} (9 bytes).
 */
class HeartbeatLayerTest {
    private boolean share;
    private LayerHarness h;

    /** @return whether the detector pools liveness with the node's other groups */
    boolean share() {
        return true;
    }

    @BeforeEach
    void build() {
        share = share();
        h = LayerHarness.of(new HeartbeatLayer()).members("a", "b", "c")
            .settings("heartbeat", "share-liveness = " + share).build();
    }

    /** A control frame of this mode's length from a peer. */
    private void control(final String from, final byte type, final long viewTag) {
        h.controlFromPeer(from, share ? HeartbeatControl.LENGTH_WITH_GENERATION : HeartbeatControl.LENGTH, (b, o) -> {
            HeartbeatControl.write(b, o, type, viewTag);
            if (share) {
                HeartbeatControl.writeGeneration(b, o, 0);
            }
        });
    }

    private void beatFrom(final String member) {
        control(member, HeartbeatControl.HEARTBEAT, h.viewTag(1));
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
        control("c", HeartbeatControl.PROBE_REPLY, h.viewTag(1));
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
        control("b", HeartbeatControl.PROBE, h.viewTag(1));
        assertThat(ofType(HeartbeatControl.PROBE_REPLY)).hasSize(1);
        assertThat(ofType(HeartbeatControl.PROBE_REPLY).get(0).destination()).isEqualTo(MemberId.keyOf("b", 0));
        assertThat(ofType(HeartbeatControl.PROBE_REPLY).get(0).payload())
            .hasSize(share ? HeartbeatControl.LENGTH_WITH_GENERATION : HeartbeatControl.LENGTH);
        h.controlFromPeer("b", 3, (b, o) -> b.putByte(o, (byte) 1));
        assertThat(h.counter("malformed")).isEqualTo(1);
        control("b", HeartbeatControl.PROBE, h.viewTag(99));
        // Another partition's view of this very epoch is another view too.
        control("b", HeartbeatControl.PROBE, h.otherViewTag(1));
        assertThat(ofType(HeartbeatControl.PROBE_REPLY)).hasSize(1);
    }

    @Test
    void shouldSpeakTheUnsharedFormatWithAMemberThatDoesNotShare() {
        // b's node does not pool liveness (another setting, or an older release): its 9-byte probe is read and
        // answered in 9 bytes, and from then on this group beats in 9 bytes every interval.
        h.controlFromPeer("b", HeartbeatControl.LENGTH,
            (b, o) -> HeartbeatControl.write(b, o, HeartbeatControl.PROBE, h.viewTag(1)));
        assertThat(ofType(HeartbeatControl.PROBE_REPLY)).singleElement()
            .satisfies(f -> assertThat(f.payload()).hasSize(HeartbeatControl.LENGTH));
        h.advance(350, MILLISECONDS);
        assertThat(ofType(HeartbeatControl.HEARTBEAT)).hasSizeBetween(3, 4)
            .allMatch(f -> f.payload().length == HeartbeatControl.LENGTH);
        assertThat(h.counter("malformed")).isZero();
    }
}
