package io.cairn.stack.runtime;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.MemberId;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.ViewTag;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Garbage injected at a live stack's inbound queue is dropped and counted; the stack keeps working. */
class HostileFrameTest {
    @Test
    void shouldDropAndCountMalformedFramesAndKeepDelivering() {
        final List<String> got = new ArrayList<>();
        try (Node a = Node.builder().name("a").threading(ThreadingMode.INVOKER).build()) {
            final Group g = a.join("hostile", "good", ConfigFactory.parseString("cairn.stack.members = [a]"),
                d -> got.add(new String(((Delivery) d).payloadBytes())));
            final StackRuntime rt = runtimeOf(g);
            final SplittableRandom rnd = new SplittableRandom(7);
            final byte[] junk = new byte[300];
            for (int i = 0; i < 1000; i++) {
                rnd.nextBytes(junk);
                rt.offerFrame(new UnsafeBuffer(junk), 0, rnd.nextInt(junk.length + 1));
            }
            // Well-formed headers with a stale view, another view of the same epoch (another coordinator's), a
            // stranger as sender, and an unknown control layer.
            final long current = ViewTag.of(rt.view().id());
            rt.offerFrame(frame(g, 0, MemberId.keyOf("a", 0), ViewTag.NONE, 0), 0, rt.headroom());
            rt.offerFrame(frame(g, 0, MemberId.keyOf("a", 0), ViewTag.of(1, MemberId.keyOf("z", 0)), 0), 0,
                rt.headroom());
            rt.offerFrame(frame(g, 0, MemberId.keyOf("mallory", 0), current, 0), 0, rt.headroom());
            rt.offerFrame(frame(g, FrameHeader.FLAG_CONTROL, MemberId.keyOf("a", 0), current, 777), 0,
                rt.headroom());
            g.cast("still alive".getBytes());
            for (int i = 0; i < 10; i++) {
                a.doWork();
            }
            assertThat(got).containsExactly("still alive");
            final long rejected = g.stats().entrySet().stream().filter(e -> e.getKey().startsWith("stack.reject_"))
                .mapToLong(e -> e.getValue()).sum();
            assertThat(rejected).isEqualTo(1004);
            assertThat(g.stats().get("stack.reject_stale_view")).isEqualTo(1);
            assertThat(g.stats().get("stack.reject_other_view")).isEqualTo(1);
            assertThat(g.stats().get("stack.reject_nonmember")).isEqualTo(1);
            assertThat(g.stats().get("stack.handler_errors")).isZero();
        }
    }

    private static UnsafeBuffer frame(final Group g, final int flags, final long sender, final long viewTag,
                                      final int layerId) {
        final StackRuntime rt = runtimeOf(g);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[rt.headroom()]);
        new FrameHeader().wrap(b, 0).write(flags, rt.groupId(), sender, viewTag, rt.headroom(), layerId);
        return b;
    }

    static StackRuntime runtimeOf(final Group g) {
        return io.cairn.api.GroupInternals.runtime(g);
    }
}
