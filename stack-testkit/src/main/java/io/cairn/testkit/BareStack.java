package io.cairn.testkit;

import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stack on this thread (INVOKER) with a manual clock and a static view, the bottom layers given by the test,
 * whose transport records every frame it sends in {@link #wire} and whose top records deliveries as strings. Tests
 * carry frames between such stacks by hand (to replay, drop, corrupt or reorder them); unlike {@link LayerHarness},
 * nothing sits under the layers, so a sealing layer can be the bottom one.
 */
public final class BareStack implements StackListener {
    /** Frames sent, oldest first (multicasts and unicasts alike). */
    public final List<byte[]> wire = new ArrayList<>();
    /** Payloads delivered, as UTF-8. */
    public final List<String> delivered = new ArrayList<>();
    private final ManualClock clock = new ManualClock();
    private final StackRuntime runtime;

    /**
     * @param self           this member
     * @param view           the static view
     * @param layers         the layers, bottom first
     * @param seed           the stack's seed
     * @param maxFrameLength the transport's largest frame
     */
    public BareStack(final MemberId self, final View view, final List<StackParams.LayerEntry> layers, final long seed,
                     final int maxFrameLength) {
        runtime = new StackRuntime(new StackParams("g", self, layers, new RecordingTransport("wire", maxFrameLength,
            (frame, destination) -> wire.add(frame)), clock, seed, 1 << 16, 1 << 16, view, this, null));
        runtime.onStart();
        run();
    }

    /** @return the runtime */
    public StackRuntime runtime() {
        return runtime;
    }

    /**
     * @param payload a cast, as UTF-8
     * @return this
     */
    public BareStack cast(final String payload) {
        final byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        if (!runtime.offerCast(new UnsafeBuffer(b), 0, b.length)) {
            throw new IllegalStateException("the stack refused a cast");
        }
        return run();
    }

    /**
     * @param frame a frame, as from another stack's {@link #wire}
     * @return this
     */
    public BareStack receive(final byte[] frame) {
        runtime.offerFrame(new UnsafeBuffer(frame), 0, frame.length);
        return run();
    }

    /** @return the last frame sent */
    public byte[] lastFrame() {
        return wire.get(wire.size() - 1);
    }

    /**
     * Advances the clock, running the stack at each timer tick.
     *
     * @param ms milliseconds
     * @return this
     */
    public BareStack advance(final long ms) {
        DutyCycles.advance(clock, runtime, TimeUnit.MILLISECONDS.toNanos(ms));
        return this;
    }

    /**
     * Runs duty cycles until there is no more work (bounded).
     *
     * @return this
     */
    public BareStack run() {
        DutyCycles.run(runtime);
        return this;
    }

    /**
     * @param name a stats entry, e.g. {@code stack.reject_forged}
     * @return its value, 0 when absent
     */
    public long stat(final String name) {
        return runtime.stats().snapshot().getOrDefault(name, 0L);
    }

    /**
     * Hands every frame each stack sends to all the others, until none sends more.
     *
     * @param stacks the stacks
     */
    public static void pump(final BareStack... stacks) {
        final int[] seen = new int[stacks.length];
        for (int round = 0; round < 50; round++) {
            boolean moved = false;
            for (int i = 0; i < stacks.length; i++) {
                while (seen[i] < stacks[i].wire.size()) {
                    final byte[] f = stacks[i].wire.get(seen[i]++);
                    for (int j = 0; j < stacks.length; j++) {
                        if (j != i) {
                            stacks[j].receive(f);
                        }
                    }
                    moved = true;
                }
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the stacks never went quiet");
    }

    @Override
    public void onDeliver(final long eventNo, final Message msg) {
        final byte[] b = new byte[msg.payloadLength()];
        msg.buffer().getBytes(msg.payloadOffset(), b);
        delivered.add(new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public void onEvent(final long eventNo, final UpEvent event) {
    }
}
