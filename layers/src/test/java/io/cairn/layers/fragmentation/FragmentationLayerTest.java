package io.cairn.layers.fragmentation;

import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.stack.event.InstallView;
import io.cairn.testkit.Frame;
import io.cairn.testkit.LayerHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class FragmentationLayerTest {
    private final LayerHarness sender = LayerHarness.of(new FragmentationLayer()).members("b", "a", "c")
        .settings("fragmentation", "").build();
    private final LayerHarness h = LayerHarness.of(new FragmentationLayer()).members("a", "b", "c")
        .settings("fragmentation", "max-message-size = 100K, max-partial-messages = 4").build();

    private static byte[] message(final int size, final long seed) {
        final byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Fragments b would send for these payloads, as (header bytes, payload) to replay at a. */
    private List<Frame> fragmentsOf(final byte[]... payloads) {
        sender.clear();
        for (final byte[] p : payloads) {
            sender.cast(p);
        }
        return new ArrayList<>(sender.sentDown());
    }

    private void replay(final Frame f) {
        final byte[] hdr = Arrays.copyOfRange(f.bytes(), h.headerOffset(), h.headerOffset() + FragmentHeader.LENGTH);
        h.fromPeer("b", (b, o) -> b.putBytes(o, hdr), Arrays.copyOfRange(f.bytes(), f.payloadOffset(),
            f.bytes().length));
    }

    @Test
    void shouldPassSmallMessagesWhole() {
        sender.cast("small");
        assertThat(sender.sentDown()).hasSize(1);
        final Frame f = sender.sentDown().get(0);
        assertThat(FragmentHeader.count(f.buffer(), sender.headerOffset())).isEqualTo(1);
        replay(f);
        assertThat(h.deliveredPayloads()).containsExactly("small");
    }

    @Test
    void shouldSplitIntoFramesThatFitAndReassembleInAnyOrder() {
        final byte[] big = message(5000, 1);
        final List<Frame> frags = fragmentsOf(big);
        assertThat(frags).hasSize(4);
        assertThat(frags).allMatch(f -> f.bytes().length <= 1500);
        Collections.reverse(frags);
        frags.forEach(this::replay);
        assertThat(h.deliveredUp()).hasSize(1);
        assertThat(h.deliveredUp().get(0).payload()).isEqualTo(big);
        assertThat(h.deliveredUp().get(0).sender()).isEqualTo(MemberId.keyOf("b", 0));
    }

    @Test
    void shouldReassembleInterleavedMessagesAndIgnoreDuplicateFragments() {
        final byte[] one = message(4000, 2);
        final byte[] two = message(3100, 3);
        final List<Frame> a = fragmentsOf(one);
        final List<Frame> b = fragmentsOf(two);
        replay(b.get(1));
        replay(a.get(2));
        replay(a.get(0));
        replay(a.get(0));
        replay(b.get(0));
        replay(b.get(2));
        replay(a.get(1));
        assertThat(h.deliveredUp()).extracting(Frame::payload).containsExactly(two, one);
        assertThat(h.counter("duplicates")).isEqualTo(1);
    }

    @Test
    void shouldRejectHostileHeadersBeforeAllocating() {
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 1, 0, Integer.MAX_VALUE, 0, 3), "x");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 1, 0, 100, 5, 3), "x");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 1, 99, 100, 1, 3), "xx");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 1, -4, 100, 1, 3), "xx");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 1, 0, 5, 0, 1), "xx");
        assertThat(h.counter("malformed")).isEqualTo(5);
        assertThat(h.deliveredUp()).isEmpty();
    }

    @Test
    void shouldEvictTheOldestPartialBeyondTheBound() {
        for (int i = 0; i < 6; i++) {
            replay(fragmentsOf(message(3000, i)).get(0));
        }
        assertThat(h.counter("evicted")).isEqualTo(2);
        // An evicted partial's buffer takes the next message: what is delivered is that message, byte for byte.
        final byte[] next = message(2000, 99);
        fragmentsOf(next).forEach(this::replay);
        assertThat(h.deliveredUp()).hasSize(1);
        assertThat(h.deliveredUp().get(0).payload()).isEqualTo(next);
    }

    @Test
    void shouldDiscardPartialsOfDepartedSendersOnAViewChange() {
        final List<Frame> frags = fragmentsOf(message(3000, 9));
        replay(frags.get(0));
        h.down(new InstallView(new View(new ViewId(2, new MemberId("a", 0)),
            List.of(new MemberId("a", 0), new MemberId("b", 0), new MemberId("c", 0)), true)));
        replay(frags.get(1));
        replay(frags.get(2));
        assertThat(h.deliveredUp()).as("the first fragment was discarded with the old partials").isEmpty();
    }

    @Test
    void shouldAcceptOnlyFragmentsThatTileTheMessageSoAReusedBufferLeaksNothing() {
        final byte[] big = message(5000, 11);
        fragmentsOf(big).forEach(this::replay);
        assertThat(h.deliveredUp()).hasSize(1);
        // The buffer of that message is pooled and takes the next: a fragment overlapping another would leave a gap
        // holding the old message's bytes, so it is malformed, not stored.
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 7, 0, 10, 0, 2), "aaaaa");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 7, 0, 10, 1, 2), "bbbbb");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 7, 4, 10, 1, 2), "bbbbbb");
        assertThat(h.counter("malformed")).isEqualTo(2);
        assertThat(h.deliveredUp()).hasSize(1);
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 7, 5, 10, 1, 2), "bbbbb");
        assertThat(h.deliveredPayloads()).last().isEqualTo("aaaaabbbbb");
        // The last fragment first fixes the stride: a first fragment of another length does not fit it.
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 8, 6, 10, 1, 2), "cccc");
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 8, 0, 10, 0, 2), "ddddd");
        assertThat(h.counter("malformed")).isEqualTo(3);
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 8, 0, 10, 0, 2), "dddddd");
        assertThat(h.deliveredPayloads()).last().isEqualTo("ddddddcccc");
        // A last fragment longer than the others is no tiling either.
        h.fromPeer("b", (b, o) -> FragmentHeader.write(b, o, 9, 4, 10, 1, 2), "eeeeee");
        assertThat(h.counter("malformed")).isEqualTo(4);
        assertThat(h.counter("reassembled")).isEqualTo(3);
    }
}
