package io.cairn.layers.encrypt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.BareStack;
import io.cairn.testkit.TestSecret;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the encrypt layer's opening of sealed frames (everything it reads before the tag is checked: lengths, the
 * sealer, session and counter, the replay window, the challenge bookkeeping) and its {@link ReplayWindow}
 * (docs/fuzzing.md). Member {@code b}'s stack, with the test secret, receives a script of frames from below:
 *
 * <pre>
 *  op (8) % 2   0 FRAME length (16), bytes   a frame, with magic, version, group, length and the sealed flag patched
 *               1 ADVANCE n (8)              4 n ms pass
 * </pre>
 * and no layer or seal may throw ({@code stack.handler_errors} stays 0). The seeds are what member {@code a}
 * seals in a whole exchange with {@code b} (casts, answers to challenges, keys), so fuzzing starts from a verified
 * session; and a replay of its last frame.
 */
class EncryptFuzzTest {
    private static final MemberId A = MemberId.parse("a");
    private static final MemberId B = MemberId.parse("b");
    private static final View VIEW = View.initial(List.of(A, B));
    private static final int WINDOW = 128;

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        final BareStack b = member(B, 2);
        int at = 0;
        while (at < input.length) {
            final int op = (input[at++] & 0xFF) % 2;
            if (op == 1) {
                b.advance(at < input.length ? 4 * (input[at++] & 0xFF) : 0);
                continue;
            }
            int length = at < input.length ? input[at++] & 0xFF : 0;
            length |= at < input.length ? (input[at++] & 0xFF) << 8 : 0;
            length = Math.min(length, input.length - at);
            final UnsafeBuffer f = new UnsafeBuffer(new byte[length]);
            f.putBytes(0, input, at, length);
            at += length;
            if (length >= FrameHeader.LENGTH) {
                f.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC, FrameHeader.ORDER);
                f.putByte(FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
                f.putByte(FrameHeader.FLAGS_OFFSET, (byte) (f.getByte(FrameHeader.FLAGS_OFFSET)
                    | FrameHeader.FLAG_SEALED));
                f.putInt(FrameHeader.GROUP_OFFSET, b.runtime().groupId(), FrameHeader.ORDER);
                f.putInt(FrameHeader.FRAME_LENGTH_OFFSET, length, FrameHeader.ORDER);
            }
            b.receive(f.byteArray());
        }
        b.runtime().stop();
        assertThat(b.runtime().stats().get("stack.handler_errors")).as("a layer or the seal threw (see the WARNING)")
            .isZero();
    }

    @Test
    void shouldMatchCommittedFrameSeedsWhenEncodersUnchanged() throws IOException {
        final BareStack a = member(A, 1);
        final BareStack b = member(B, 2);
        a.cast("one");
        final List<byte[]> fromA = exchange(a, b);
        a.cast("two");
        final List<byte[]> more = exchange(a, b);
        assertThat(b.delivered).as("the exchange verifies a's session and delivers its casts").contains("two");
        final List<byte[]> all = new ArrayList<>(fromA);
        all.addAll(more);
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("first-frame", script(fromA.get(0)));
        seeds.put("verified", script(all.toArray(new byte[0][])));
        all.add(all.get(all.size() - 1));
        seeds.put("replayed", script(all.toArray(new byte[0][])));
        SeedCorpus.check(EncryptFuzzTest.class, "frames", seeds);
    }

    /** Hands each member's frames to the other until both are quiet. @return a's frames, in the order b got them */
    private static List<byte[]> exchange(final BareStack a, final BareStack b) {
        final List<byte[]> fromA = new ArrayList<>();
        int sentA = 0;
        int sentB = 0;
        for (int round = 0; round < 20 && (sentA < a.wire.size() || sentB < b.wire.size()); round++) {
            while (sentA < a.wire.size()) {
                final byte[] f = a.wire.get(sentA++);
                fromA.add(f);
                b.receive(f);
            }
            while (sentB < b.wire.size()) {
                a.receive(b.wire.get(sentB++));
            }
        }
        return fromA;
    }

    /**
     * The input is a sequence of counters, 1 to 2^16 (two bytes each), each also marked when fresh. The property:
     * the window answers as the set of counters marked does, within the window below the highest.
     */
    @FuzzTest(maxDuration = "60s")
    void replayWindow(final byte[] input) {
        final ReplayWindow w = new ReplayWindow(WINDOW);
        final Set<Long> seen = new HashSet<>();
        long highest = 0;
        for (int i = 0; i + 1 < input.length; i += 2) {
            final long counter = (input[i] & 0xFF | (input[i + 1] & 0xFF) << 8) + ((input[i] & 1) == 0 ? 1 : -300);
            final boolean fresh = counter > 0 && !seen.contains(counter) && (counter > highest
                || highest - counter < WINDOW);
            assertThat(w.isFresh(counter)).as("counter %d after highest %d", counter, highest).isEqualTo(fresh);
            if (fresh) {
                w.mark(counter);
                seen.add(counter);
                highest = Math.max(highest, counter);
            }
            assertThat(w.highest()).isEqualTo(highest);
        }
    }

    @Test
    void shouldMatchCommittedWindowSeedsWhenEncodersUnchanged() throws IOException {
        final ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (final int c : new int[] {2, 4, 4, 300, 200, 172, 174, 2}) {
            s.write(c & 0xFF);
            s.write(c >>> 8);
        }
        SeedCorpus.check(EncryptFuzzTest.class, "replayWindow", Map.of("in-and-out-of-window", s.toByteArray()));
    }

    private static byte[] script(final byte[]... frames) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] f : frames) {
            out.write(0);
            out.write(f.length & 0xFF);
            out.write(f.length >>> 8);
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** A stack of the encrypt layer alone, whose outgoing frames are recorded. */
    private static BareStack member(final MemberId self, final long seed) {
        // Without views from a membership layer there are no per-view keys: everything is sealed under the group
        // secret's, as in EncryptLayerTest.
        final Config settings = ConfigFactory.parseString("secret-file = \"" + TestSecret.file()
            + "\", view-keys = off")
            .withFallback(ConfigFactory.defaultReference().getConfig("cairn.layer.encrypt"));
        return new BareStack(self, VIEW, List.of(new StackParams.LayerEntry("encrypt", new EncryptLayer(), settings)),
            seed, 1500);
    }
}
