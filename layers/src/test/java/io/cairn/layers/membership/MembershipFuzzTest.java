package io.cairn.layers.membership;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import io.cairn.layers.FuzzScript;
import io.cairn.stack.wire.ViewTag;
import io.cairn.testkit.LayerHarness;
import io.cairn.testkit.fuzz.SeedCorpus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the membership codec (members, views, joins, prepares, installs) directly through its {@link
 * MembershipCodec.Reader}, and the membership layer's control frames through the layer ({@link FuzzScript};
 * docs/fuzzing.md).
 */
class MembershipFuzzTest {
    private static final MemberId A = new MemberId("a", 0);
    private static final MemberId B = new MemberId("b", 0);
    private static final MemberId C = new MemberId("c", 0);
    private static final View ABC = new View(new ViewId(1, A), List.of(A, B, C), true);
    /** Reading one body of at most a few KiB may allocate its members, names and lists: far less than this. */
    private static final long ALLOCATION_BUDGET = 4L << 20;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * A body as the layer reads it: the type, then that type's fields. The reader never throws; what it reads is
     * within the codec's limits, and a member or view it accepts can be written again (the coordinator forwards
     * joiners and views it received).
     */
    @FuzzTest(maxDuration = "60s")
    void codec(final byte[] body) {
        long allocated = allocatedBy(() -> decode(body));
        if (allocated >= ALLOCATION_BUDGET) {
            // The first decode down a path loads (and when fuzzing instruments) classes on this thread: count again.
            allocated = allocatedBy(() -> decode(body));
        }
        assertThat(allocated).as("bytes allocated reading a %d-byte body", body.length).isLessThan(ALLOCATION_BUDGET);
    }

    private static long allocatedBy(final Runnable r) {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void decode(final byte[] body) {
        final MembershipCodec.Reader r = new MembershipCodec.Reader().wrap(new UnsafeBuffer(body), 0, body.length);
        final MembershipCodec.Writer w = new MembershipCodec.Writer();
        final int type = r.i8();
        switch (type) {
            case MembershipCodec.JOIN, MembershipCodec.LEAVE, MembershipCodec.REJECT -> {
                final MemberId m = r.member();
                if (r.ok()) {
                    w.reset((byte) type).member(m);
                }
            }
            case MembershipCodec.PREPARE -> {
                r.i64();
                r.i64();
                final List<MemberId> survivors = r.members();
                final List<MemberId> next = r.members();
                assertThat(survivors.size() + next.size()).isLessThanOrEqualTo(2 * MembershipCodec.MAX_MEMBERS);
                if (r.ok()) {
                    w.reset((byte) type).members(survivors).members(next);
                }
            }
            case MembershipCodec.INSTALL -> {
                r.i64();
                r.i64();
                final List<MemberId> joiners = r.members();
                final View v = r.view();
                if (r.ok()) {
                    assertThat(v).isNotNull();
                    assertThat(v.size()).isBetween(1, MembershipCodec.MAX_MEMBERS);
                    w.reset((byte) type).members(joiners).view(v);
                }
            }
            default -> r.i64();
        }
    }

    @Test
    void shouldMatchCommittedCodecSeedsWhenEncodersUnchanged() throws IOException {
        SeedCorpus.check(MembershipFuzzTest.class, "codec", Map.of(
            "join", bytes(new MembershipCodec.Writer().reset(MembershipCodec.JOIN).member(C)),
            "prepare", bytes(new MembershipCodec.Writer().reset(MembershipCodec.PREPARE).i64(1)
                .i64(ViewTag.of(ABC.id())).members(List.of(A, B)).members(List.of(A, B, C))),
            "install", bytes(new MembershipCodec.Writer().reset(MembershipCodec.INSTALL).i64(1).i64(0)
                .members(List.of(C)).view(ABC)),
            "ack", bytes(new MembershipCodec.Writer().reset(MembershipCodec.ACK).i64(1))));
    }

    private static LayerHarness harness() {
        return LayerHarness.of(new MembershipLayer()).members("a", "b", "c").self("a").noSeeds()
            .settings("membership", "").noView().build();
    }

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] input) {
        FuzzScript.run(input, MembershipFuzzTest::harness);
    }

    @Test
    void shouldMatchCommittedFrameSeedsWhenEncodersUnchanged() throws IOException {
        final byte[] install = bytes(new MembershipCodec.Writer().reset(MembershipCodec.INSTALL).i64(1).i64(0)
            .members(List.of(B, C)).view(ABC));
        SeedCorpus.check(MembershipFuzzTest.class, "frames", Map.of(
            "joins", new FuzzScript.Builder().advance(100)
                .control(1, bytes(new MembershipCodec.Writer().reset(MembershipCodec.JOIN).member(B)))
                .control(2, bytes(new MembershipCodec.Writer().reset(MembershipCodec.JOIN).member(C)))
                .advance(200).bytes(),
            "installed", new FuzzScript.Builder().control(1, install)
                .control(1, bytes(new MembershipCodec.Writer().reset(MembershipCodec.WAIT).i64(1)))
                .control(2, bytes(new MembershipCodec.Writer().reset(MembershipCodec.LEAVE).member(C)))
                .advance(100).bytes()));
    }

    private static byte[] bytes(final MembershipCodec.Writer w) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[w.length()]);
        w.copyTo(b, 0);
        return Arrays.copyOf(b.byteArray(), w.length());
    }
}
