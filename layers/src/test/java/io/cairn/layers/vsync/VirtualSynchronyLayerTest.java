package io.cairn.layers.vsync;

import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.FlushCompleted;
import io.cairn.stack.event.FlushRequest;
import io.cairn.api.MemberId;
import io.cairn.stack.event.SyncTo;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.InstallView;
import io.cairn.stack.event.ViewOk;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualSynchronyLayerTest {
    private static final MemberId A = new MemberId("a", 0);
    private static final MemberId B = new MemberId("b", 0);
    private static final MemberId C = new MemberId("c", 0);

    private final LayerHarness h = LayerHarness.of(new VirtualSynchronyLayer()).members("a", "b", "c")
        .settings("virtual-synchrony", "").build();

    private static final LayerHarness.HeaderWriter NONE = (b, o) -> { };

    private void control(final String from, final byte type, final long attempt, final long... vector) {
        h.controlFromPeer(from, FlushControl.length(type == FlushControl.DONE ? 0 : vector.length),
            (b, o) -> FlushControl.write(b, o, type, attempt, h.viewTag(1), type == FlushControl.DONE ? null : vector));
    }

    private List<Frame> sent(final byte type) {
        return h.controlSentDown().stream().filter(f -> f.payload()[0] == type).toList();
    }

    private static long[] vector(final Frame f) {
        return FlushControl.vector(f.buffer(), f.payloadOffset(), 3);
    }

    @Test
    void shouldBlockQueueCastsAndSendThemInTheNextView() {
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        assertThat(h.eventsUp()).anyMatch(e -> e instanceof Blocked);
        h.cast("during flush");
        assertThat(h.dataSentDown()).isEmpty();
        h.down(new InstallView(new View(new ViewId(2, A), List.of(A, B), true)));
        assertThat(h.dataSentDown()).as("held until the application has seen the view").isEmpty();
        h.down(new ViewOk(1));
        assertThat(h.dataSentDown()).as("a stale ViewOk releases nothing").isEmpty();
        h.down(new ViewOk(2));
        assertThat(h.dataSentDown()).extracting(Frame::payloadString).containsExactly("during flush");
        assertThat(h.dataSentDown().get(0).viewEpoch()).as("sent in the new view").isEqualTo(2);
    }

    @Test
    void shouldReportWhatItDeliveredAndEverythingItSent() {
        h.fromPeer("b", NONE, "b1").fromPeer("b", NONE, "b2").cast("a1");
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        final List<Frame> reports = sent(FlushControl.FLUSH_OK);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).destination()).isEqualTo(B.key());
        assertThat(vector(reports.get(0))).containsExactly(1, 2, 0);
    }

    @Test
    void shouldHoldDeliveriesUntilTheCutThenDeliverUpToItAndHoldTheRest() {
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        h.fromPeer("c", NONE, "c1").fromPeer("c", NONE, "c2");
        assertThat(h.deliveredPayloads()).isEmpty();
        control("b", FlushControl.CUT, 1, 0, 0, 1);
        assertThat(h.deliveredPayloads()).containsExactly("c1");
        assertThat(h.counter("beyond_cut")).isEqualTo(1);
        assertThat(sent(FlushControl.DONE)).hasSize(1);
        assertThat(sent(FlushControl.DONE).get(0).destination()).isEqualTo(B.key());
    }

    @Test
    void shouldDeliverWhatLayBeyondAnAbandonedCutWhenALaterAttemptCutsFurther() {
        // Attempt 1 leaves c out (suspected) and cuts c's casts at 0; attempt 2 takes c back, which delivered its
        // own two casts: the layers below delivered them here already, so only this layer can still hand them up.
        h.down(new FlushRequest(1, List.of(A, B), B));
        h.fromPeer("c", NONE, "c1").fromPeer("c", NONE, "c2");
        control("b", FlushControl.CUT, 1, 0, 0, 0);
        assertThat(h.deliveredPayloads()).isEmpty();
        assertThat(h.counter("beyond_cut")).isEqualTo(2);
        h.down(new FlushRequest(2, List.of(A, B, C), C));
        h.fromPeer("c", NONE, "c3");
        control("c", FlushControl.CUT, 2, 0, 0, 3);
        assertThat(h.deliveredPayloads()).containsExactly("c1", "c2", "c3");
        assertThat(sent(FlushControl.DONE)).hasSize(2);
        assertThat(sent(FlushControl.DONE).get(1).destination()).isEqualTo(C.key());
    }

    @Test
    void shouldAskBelowForMissingMessagesAndReportDoneOnceItHasThem() {
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        control("b", FlushControl.CUT, 1, 0, 2, 0);
        assertThat(h.eventsDown()).anyMatch(e -> e instanceof SyncTo s && s.counts()[1] == 2);
        assertThat(sent(FlushControl.DONE)).isEmpty();
        h.fromPeer("b", NONE, "b1").fromPeer("b", NONE, "b2");
        assertThat(h.deliveredPayloads()).containsExactly("b1", "b2");
        assertThat(sent(FlushControl.DONE)).hasSize(1);
    }

    @Test
    void shouldCoordinateCutAndCompletionAmongSurvivors() {
        h.fromPeer("c", NONE, "c1");
        h.down(new FlushRequest(7, List.of(A, B), A));
        assertThat(sent(FlushControl.CUT)).isEmpty();
        control("b", FlushControl.FLUSH_OK, 7, 0, 0, 2);
        final List<Frame> cuts = sent(FlushControl.CUT);
        assertThat(cuts).hasSize(1);
        assertThat(vector(cuts.get(0))).as("element-wise maximum").containsExactly(0, 0, 2);
        assertThat(h.eventsUp()).noneMatch(e -> e instanceof FlushCompleted);
        h.fromPeer("c", NONE, "c2");
        control("b", FlushControl.DONE, 7);
        assertThat(h.eventsUp()).anyMatch(e -> e instanceof FlushCompleted fc && fc.attempt() == 7);
    }

    @Test
    void shouldFollowANewerAttemptAndIgnoreTheOlderOnes() {
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        h.down(new FlushRequest(2, List.of(A, C), C));
        assertThat(sent(FlushControl.FLUSH_OK)).hasSize(2);
        assertThat(sent(FlushControl.FLUSH_OK).get(1).destination()).isEqualTo(C.key());
        control("b", FlushControl.CUT, 1, 0, 0, 0);
        assertThat(sent(FlushControl.DONE)).as("a cut of the abandoned attempt").isEmpty();
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        assertThat(sent(FlushControl.FLUSH_OK)).as("an older attempt is ignored").hasSize(2);
        control("c", FlushControl.CUT, 2, 0, 0, 0);
        assertThat(sent(FlushControl.DONE)).hasSize(1);
    }

    @Test
    void shouldRepeatItsReportUntilACutArrivesAndCountMalformedFrames() {
        h.down(new FlushRequest(1, List.of(A, B, C), B));
        h.advance(65, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(sent(FlushControl.FLUSH_OK)).hasSizeGreaterThanOrEqualTo(3);
        h.controlFromPeer("b", 4, (b, o) -> b.putInt(o, 1));
        assertThat(h.counter("malformed")).isEqualTo(1);
    }
}
