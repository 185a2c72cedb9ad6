package io.cairn.configs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackSpec;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.DutyCycles;
import io.cairn.testkit.ManualClock;
import io.cairn.testkit.RecordingTransport;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a whole shipped stack ({@code reliable-fifo}: fragmentation, nak-reliability, fifo, stability,
 * credit-flow, static members a, b, c) from below: member {@code b} receives fuzzed frames, casts and the passing
 * of time, and no layer may throw ({@code stack.handler_errors} stays 0). The input is a script:
 *
 * <pre>
 *  op (8) % 3   0 FRAME length (16), bytes   a frame, with magic, version, group and length patched in
 *               1 ADVANCE n (8)              4 n ms pass
 *               2 CAST length (8), bytes     b casts the bytes
 * </pre>
 * The seeds are frames member {@code a}'s stack sent: casts, a fragmented message, gossip and credit.
 */
class WholeStackFuzzTest {
    private static final StackAssembler ASSEMBLER = new StackAssembler();
    private static final StackSpec SPEC = ASSEMBLER.load("reliable-fifo",
        ConfigFactory.parseString("cairn.stack.members = [a, b, c]"));
    private static final int MAX_FRAME = 1500;

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        final Node b = new Node("b");
        int at = 0;
        while (at < input.length) {
            final int op = (input[at++] & 0xFF) % 3;
            if (op == 1) {
                b.advance(at < input.length ? 4 * (input[at++] & 0xFF) : 0);
                continue;
            }
            int length = at < input.length ? input[at++] & 0xFF : 0;
            if (op == 0) {
                length |= at < input.length ? (input[at++] & 0xFF) << 8 : 0;
            }
            length = Math.min(length, input.length - at);
            final UnsafeBuffer bytes = new UnsafeBuffer(new byte[length]);
            bytes.putBytes(0, input, at, length);
            at += length;
            if (op == 0) {
                b.frame(bytes);
            } else {
                b.runtime.offerCast(bytes, 0, length);
                b.run();
            }
        }
        b.runtime.stop();
        assertThat(b.runtime.stats().get("stack.handler_errors")).as("a layer threw (see the WARNING above)")
            .isZero();
    }

    @Test
    void shouldMatchCommittedSeedsWhenEncodersUnchanged() throws IOException {
        final Node a = new Node("a");
        a.cast(new byte[] {1, 2, 3});
        a.cast(new byte[3000]);
        a.advance(200);
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < a.sent.size(); i++) {
            final byte[] f = a.sent.get(i);
            final byte[] one = frameOp(f);
            all.writeBytes(one);
            if (i < 6) {
                seeds.put("frame-" + i, one);
            }
        }
        all.write(1);
        all.write(50);
        seeds.put("all", all.toByteArray());
        assertThat(a.sent).hasSizeGreaterThan(3);
        SeedCorpus.check(WholeStackFuzzTest.class, "frames", seeds);
    }

    private static byte[] frameOp(final byte[] frame) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(frame.length & 0xFF);
        out.write(frame.length >>> 8);
        out.writeBytes(frame);
        return out.toByteArray();
    }

    /** One member's stack over a transport that records what it sends, driven by a manual clock. */
    private static final class Node implements StackListener {
        final List<byte[]> sent = new ArrayList<>();
        final ManualClock clock = new ManualClock();
        final StackRuntime runtime;

        Node(final String self) {
            final List<StackParams.LayerEntry> layers = SPEC.layers().stream()
                .map(p -> new StackParams.LayerEntry(p.key(), p.newLayer(), p.settings())).toList();
            runtime = new StackRuntime(new StackParams("fuzz", MemberId.parse(self), layers, new RecordingTransport(
                "fuzz", MAX_FRAME, (frame, destination) -> sent.add(frame)), clock, 42,
                1 << 20, 1 << 20, View.initial(SPEC.members()), this, null, SPEC.members()));
            runtime.onStart();
            run();
        }

        void frame(final UnsafeBuffer f) {
            if (f.capacity() >= FrameHeader.LENGTH) {
                f.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC, FrameHeader.ORDER);
                f.putByte(FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
                f.putInt(FrameHeader.GROUP_OFFSET, runtime.groupId(), FrameHeader.ORDER);
                f.putInt(FrameHeader.FRAME_LENGTH_OFFSET, f.capacity(), FrameHeader.ORDER);
            }
            runtime.offerFrame(f, 0, f.capacity());
            run();
        }

        void cast(final byte[] payload) {
            runtime.offerCast(new UnsafeBuffer(payload), 0, payload.length);
            run();
        }

        void advance(final long ms) {
            DutyCycles.advance(clock, runtime, TimeUnit.MILLISECONDS.toNanos(ms));
        }

        void run() {
            DutyCycles.run(runtime);
        }

        @Override
        public void onDeliver(final long eventNo, final Message msg) {
        }

        @Override
        public void onEvent(final long eventNo, final UpEvent event) {
        }
    }
}
