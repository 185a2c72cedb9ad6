package io.cairn.testkit.trace;

import io.cairn.testkit.trace.TraceEvent.Mode;
import io.cairn.testkit.trace.TraceEvent.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutation tests of the checker (CORRECTNESS.md rule 2): one good trace per family passes every property, and
 * each hand-made bad trace is flagged by the property it breaks.
 */
class TraceCheckerTest {
    private static final Set<String> ALL = new TreeSet<>(List.of("I1", "I2", "I3", "I4", "F1", "C1", "T1", "T2",
        "T3", "T4", "U1", "U2", "M1", "M2", "M3", "M4", "M5", "V1", "V2", "V3", "V4", "FC1", "S1", "L1"));
    private static final String V1 = "1:a#0";
    private static final String V2 = "2:a#0";
    private static final String[] ABC = {"a#0", "b#0", "c#0"};

    private static CheckReport check(final List<TraceEvent> events) {
        return new TraceChecker(ALL, 1000, false).check(events);
    }

    /** a, b, c in V1: three TOTAL casts delivered everywhere in one order; then V2 and one more cast. */
    private static TraceBuilder goodTotal() {
        final TraceBuilder b = new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, Mode.TOTAL).send("b#0", 1, V1, Mode.TOTAL).send("a#0", 2, V1, Mode.TOTAL)
            .deliverAll("a#0", 1, V1, Mode.TOTAL, 1, ABC)
            .deliverAll("b#0", 1, V1, Mode.TOTAL, 2, ABC)
            .deliverAll("a#0", 2, V1, Mode.TOTAL, 3, ABC);
        for (final String p : ABC) {
            b.event(TraceEvent.install(b.now(), p, V2, List.of(ABC), true, V1));
        }
        return b.send("c#0", 1, V2, Mode.TOTAL).deliverAll("c#0", 1, V2, Mode.TOTAL, 4, ABC);
    }

    private static void assertFlags(final List<TraceEvent> bad, final String property) {
        final CheckReport r = check(bad);
        assertThat(r.violated()).as(r.summary()).contains(property);
    }

    private static List<TraceEvent> without(final List<TraceEvent> in, final int index) {
        final List<TraceEvent> out = new ArrayList<>(in);
        out.remove(index);
        return out;
    }

    private static int indexOf(final List<TraceEvent> in, final Type type, final String p, final String msg) {
        for (int i = 0; i < in.size(); i++) {
            final TraceEvent e = in.get(i);
            if (e.type() == type && p.equals(e.p()) && (msg == null || msg.equals(e.msg()))) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " " + p + " " + msg);
    }

    @Test
    void shouldPassGoodTraces() {
        assertThat(check(goodTotal().events).violations()).isEmpty();
        assertThat(check(goodCausal().events).violations()).isEmpty();
        assertThat(check(goodSafe().events).violations()).isEmpty();
    }

    @Test
    void shouldFlagCreationI1() {
        final List<TraceEvent> e = new ArrayList<>(goodTotal().events);
        e.add(TraceEvent.deliver(99, "b#0", "c#0", 7, V2, Mode.TOTAL, 1, 5, 5));
        assertFlags(e, "I1");
        final List<TraceEvent> changed = new ArrayList<>(goodTotal().events);
        final int i = indexOf(changed, Type.DELIVER, "b#0", "a#0/1");
        final TraceEvent d = changed.get(i);
        changed.set(i, TraceEvent.deliver(d.t(), d.p(), d.src(), d.seq(), d.vid(), d.mode(), d.h() + 1, d.idx(),
            d.gseq()));
        assertFlags(changed, "I1");
    }

    @Test
    void shouldFlagDuplicateDeliveryI2() {
        final List<TraceEvent> e = new ArrayList<>(goodTotal().events);
        final TraceEvent d = e.get(indexOf(e, Type.DELIVER, "c#0", "c#0/1"));
        e.add(TraceEvent.deliver(d.t() + 1, d.p(), d.src(), d.seq(), d.vid(), d.mode(), d.h(), d.idx() + 1, 0));
        assertFlags(e, "I2");
    }

    @Test
    void shouldFlagMissingSelfDeliveryI3() {
        final List<TraceEvent> e = goodTotal().events;
        assertFlags(without(e, indexOf(e, Type.DELIVER, "b#0", "b#0/1")), "I3");
    }

    @Test
    void shouldFlagMissingDeliveryInFinalViewI4() {
        final List<TraceEvent> e = goodTotal().events;
        assertFlags(without(e, indexOf(e, Type.DELIVER, "a#0", "c#0/1")), "I4");
    }

    @Test
    void shouldFlagFifoGapAndSwapF1() {
        final TraceBuilder gap = new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, Mode.FIFO).send("a#0", 2, V1, Mode.FIFO)
            .deliverAll("a#0", 1, V1, Mode.FIFO, 0, ABC).deliver("b#0", "a#0", 2, V1, Mode.FIFO, 0)
            .deliver("c#0", "a#0", 2, V1, Mode.FIFO, 0).deliver("a#0", "a#0", 2, V1, Mode.FIFO, 0);
        assertThat(check(gap.events).ok()).isTrue();
        final List<TraceEvent> swapped = new ArrayList<>(gap.events);
        Collections.swap(swapped, indexOf(swapped, Type.DELIVER, "b#0", "a#0/1"),
            indexOf(swapped, Type.DELIVER, "b#0", "a#0/2"));
        assertFlags(swapped, "F1");
    }

    @Test
    void shouldFlagATotalOrderThatContradictsFifoT4() {
        // Everyone agrees (T1-T3 hold), but on an order that puts a's second cast before its first.
        final TraceBuilder b = new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, Mode.TOTAL).send("a#0", 2, V1, Mode.TOTAL)
            .deliverAll("a#0", 2, V1, Mode.TOTAL, 1, ABC).deliverAll("a#0", 1, V1, Mode.TOTAL, 2, ABC);
        final CheckReport r = check(b.events);
        assertThat(r.violated()).as(r.summary()).contains("T4").doesNotContain("T1", "T2", "T3");
    }

    @Test
    void shouldAcceptACastReRecordedInTheNextViewButNotADuplicateId() {
        // A real-time recorder records a cast in V1, then learns the flush queued it: re-recorded as sent in V2.
        final TraceBuilder requeued = new TraceBuilder().install(V1, true, ABC).send("a#0", 1, V1, Mode.FIFO);
        for (final String p : ABC) {
            requeued.event(TraceEvent.install(requeued.now(), p, V2, List.of(ABC), true, V1));
        }
        requeued.send("a#0", 1, V2, Mode.FIFO).deliverAll("a#0", 1, V2, Mode.FIFO, 0, ABC);
        assertThat(check(requeued.events).violations()).isEmpty();
        final List<TraceEvent> dup = new ArrayList<>(new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, Mode.FIFO).events);
        dup.add(TraceEvent.send(9, "a#0", 1, V1, Mode.FIFO, 12345));
        assertFlags(dup, "I1");
    }

    @Test
    void shouldScopeTheTotalOrderToOneLineageOfViews() {
        // The group died (everyone crashed) and a later incarnation founded it again: a new history from gseq 1.
        final TraceBuilder b = goodTotal().simple(Type.CRASH, "a#0").simple(Type.CRASH, "b#0")
            .simple(Type.CRASH, "c#0").install("a#1", "1:a#1", true, "a#1").send("a#1", 1, "1:a#1", Mode.TOTAL)
            .deliver("a#1", "a#1", 1, "1:a#1", Mode.TOTAL, 1);
        assertThat(check(b.events).violated()).doesNotContain("T1");
        final TraceBuilder same = goodTotal().send("c#0", 2, V2, Mode.TOTAL)
            .deliverAll("c#0", 2, V2, Mode.TOTAL, 1, ABC);
        assertFlags(same.events, "T1");
    }

    /** a casts; b delivers it, then casts; everyone delivers in causal order. */
    private static TraceBuilder goodCausal() {
        return new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, Mode.CAUSAL)
            .deliver("a#0", "a#0", 1, V1, Mode.CAUSAL, 0).deliver("b#0", "a#0", 1, V1, Mode.CAUSAL, 0)
            .send("b#0", 1, V1, Mode.CAUSAL)
            .deliver("b#0", "b#0", 1, V1, Mode.CAUSAL, 0).deliver("a#0", "b#0", 1, V1, Mode.CAUSAL, 0)
            .deliver("c#0", "a#0", 1, V1, Mode.CAUSAL, 0).deliver("c#0", "b#0", 1, V1, Mode.CAUSAL, 0);
    }

    @Test
    void shouldFlagCausalInversionC1() {
        final List<TraceEvent> e = new ArrayList<>(goodCausal().events);
        Collections.swap(e, e.size() - 1, e.size() - 2);
        assertFlags(e, "C1");
    }

    @Test
    void shouldFlagDisagreeingAndHolesInTotalOrderT1T2T3() {
        final List<TraceEvent> swapped = new ArrayList<>(goodTotal().events);
        final int x = indexOf(swapped, Type.DELIVER, "c#0", "a#0/1");
        final int y = indexOf(swapped, Type.DELIVER, "c#0", "b#0/1");
        final TraceEvent dx = swapped.get(x);
        final TraceEvent dy = swapped.get(y);
        // c delivers b/1 first, carrying the gseqs in its own order: T1 (gseq ↔ message) and T2 (order).
        swapped.set(x, TraceEvent.deliver(dx.t(), "c#0", "b#0", 1, V1, Mode.TOTAL, dy.h(), dx.idx(), 1));
        swapped.set(y, TraceEvent.deliver(dy.t(), "c#0", "a#0", 1, V1, Mode.TOTAL, dx.h(), dy.idx(), 2));
        assertFlags(swapped, "T1");
        assertFlags(swapped, "T2");
        final List<TraceEvent> hole = new ArrayList<>(goodTotal().events);
        final int z = indexOf(hole, Type.DELIVER, "b#0", "c#0/1");
        final TraceEvent dz = hole.get(z);
        hole.set(z, TraceEvent.deliver(dz.t(), dz.p(), dz.src(), dz.seq(), dz.vid(), dz.mode(), dz.h(), dz.idx(), 5));
        assertFlags(hole, "T3");
    }

    /** Survivors order a then b; c delivered b first and crashed. */
    private static TraceBuilder crashedDivergence(final Mode mode) {
        return new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, mode).send("b#0", 1, V1, mode)
            .deliver("c#0", "b#0", 1, V1, mode, 1)
            .simple(Type.CRASH, "c#0")
            .deliverAll("a#0", 1, V1, mode, 1, "a#0", "b#0")
            .deliverAll("b#0", 1, V1, mode, 2, "a#0", "b#0");
    }

    @Test
    void shouldFlagACrashedMembersDivergentPrefixWhenOrderIsUniformT1T2() {
        assertFlags(crashedDivergence(Mode.SAFE).events, "T2");
        assertFlags(crashedDivergence(Mode.SAFE).events, "T1");
    }

    @Test
    void shouldAcceptACrashedMembersDivergentTotalOrderButNotALiveOnes() {
        // Non-uniform total order (CORRECTNESS.md T2): only a SAFE stack answers for what a crashed member did.
        final CheckReport r = new TraceChecker(Set.of("T1", "T2"), 0, false).check(crashedDivergence(Mode.TOTAL)
            .events);
        assertThat(r.violations()).as(r.summary()).isEmpty();
        final List<TraceEvent> live = new ArrayList<>(crashedDivergence(Mode.TOTAL).events);
        live.removeIf(e -> e.type() == Type.CRASH);
        assertThat(new TraceChecker(Set.of("T1", "T2"), 0, false).check(live).violated())
            .containsExactlyInAnyOrder("T1", "T2");
    }

    @Test
    void shouldFlagDeliveryMovedToNextViewV1V2() {
        final List<TraceEvent> e = new ArrayList<>(goodTotal().events);
        final int i = indexOf(e, Type.DELIVER, "b#0", "a#0/2");
        final TraceEvent d = e.remove(i);
        final int after = indexOf(e, Type.INSTALL, "b#0", null) + 3;
        e.add(after, TraceEvent.deliver(d.t(), d.p(), d.src(), d.seq(), V2, d.mode(), d.h(), d.idx(), d.gseq()));
        assertFlags(e, "V1");
        assertFlags(e, "V2");
    }

    /** SAFE: one message, delivered only once every member received it. */
    private static TraceBuilder goodSafe() {
        final TraceBuilder b = new TraceBuilder().install(V1, true, ABC).send("a#0", 1, V1, Mode.SAFE);
        for (final String p : ABC) {
            b.event(TraceEvent.recv(b.now(), p, "a#0", 1));
        }
        return b.deliverAll("a#0", 1, V1, Mode.SAFE, 1, ABC);
    }

    @Test
    void shouldFlagNonUniformAndPrematureSafeDeliveryU1U2() {
        final TraceBuilder crashed = new TraceBuilder().install(V1, true, ABC).send("a#0", 1, V1, Mode.SAFE)
            .event(TraceEvent.recv(1, "a#0", "a#0", 1)).deliver("a#0", "a#0", 1, V1, Mode.SAFE, 1)
            .simple(Type.CRASH, "a#0")
            .install("b#0", V2, true, "b#0", "c#0").install("c#0", V2, true, "b#0", "c#0");
        assertFlags(crashed.events, "U1");
        assertFlags(crashed.events, "U2");
        // A member that is gone (crashed or exited) before the delivery need not have received it.
        final TraceBuilder gone = new TraceBuilder().install(V1, true, ABC).send("a#0", 1, V1, Mode.SAFE)
            .event(TraceEvent.recv(1, "a#0", "a#0", 1)).event(TraceEvent.recv(1, "b#0", "a#0", 1))
            .simple(Type.CRASH, "c#0").deliver("a#0", "a#0", 1, V1, Mode.SAFE, 1)
            .deliver("b#0", "a#0", 1, V1, Mode.SAFE, 1);
        assertThat(new TraceChecker(Set.of("U2"), 0, false).check(gone.events).violations()).isEmpty();
    }

    @Test
    void shouldFlagBadViewsM1M2M3() {
        assertFlags(new TraceBuilder().install("a#0", V1, true, "b#0", "c#0").events, "M1");
        assertFlags(new TraceBuilder().install("a#0", V2, true, "a#0").install("a#0", V1, true, "a#0").events, "M2");
        assertFlags(new TraceBuilder().install("a#0", V1, true, "a#0", "b#0").install("b#0", V1, true, "b#0").events,
            "M3");
    }

    @Test
    void shouldFlagForkedOrMinorityPrimaryChainM4AndSkippedViewM5() {
        final TraceBuilder fork = new TraceBuilder().install(V1, true, ABC)
            .install("a#0", "2:a#0", true, "a#0", "b#0").install("b#0", "2:a#0", true, "a#0", "b#0")
            .install("c#0", "2:c#0", true, "c#0", "b#0");
        assertFlags(fork.events, "M4");
        final TraceBuilder minority = new TraceBuilder().install(V1, true, ABC).install("c#0", "2:c#0", true, "c#0");
        assertFlags(minority.events, "M4");
        final TraceBuilder skip = new TraceBuilder().install(V1, true, ABC)
            .install("a#0", V2, true, ABC).install("b#0", V2, true, ABC)
            .install("a#0", "3:a#0", true, ABC).install("b#0", "3:a#0", true, ABC).install("c#0", "3:a#0", true, ABC);
        assertFlags(skip.events, "M5");
    }

    @Test
    void shouldFlagSendWhileBlockedV3AndNonMemberDeliveryV4() {
        final TraceBuilder blocked = new TraceBuilder().install(V1, true, ABC).simple(Type.BLOCK, "a#0")
            .send("a#0", 1, V1, Mode.FIFO);
        assertFlags(blocked.events, "V3");
        final TraceBuilder stranger = new TraceBuilder().install(V1, true, ABC).send("m#0", 1, V1, Mode.FIFO)
            .deliver("a#0", "m#0", 1, V1, Mode.FIFO, 0);
        assertFlags(stranger.events, "V4");
    }

    @Test
    void shouldFlagUnboundedBuffersStateMismatchSplitViewsAndFaultFreeChurn() {
        assertFlags(new TraceBuilder().event(TraceEvent.gauge(1, "a#0", "unacked_bytes", 1001)).events, "FC1");
        final TraceBuilder state = new TraceBuilder().install(V1, true, ABC)
            .event(TraceEvent.state(false, 2, "a#0", "c#0", V1, 3, 111))
            .event(TraceEvent.state(true, 3, "a#0", "c#0", V1, 3, 112));
        assertFlags(state.events, "S1");
        final TraceBuilder split = new TraceBuilder().install(V1, true, "a#0").install("b#0", "1:b#0", false, "b#0");
        assertFlags(split.events, "L1");
        final TraceBuilder neverJoined = new TraceBuilder().install(V1, true, "a#0")
            .event(TraceEvent.reject(5, "b#0", "future_view", "a#0"));
        assertFlags(neverJoined.events, "L1");
        final List<TraceEvent> churn = new ArrayList<>(goodTotal().events);
        final CheckReport r = new TraceChecker(Set.of("I1", "D1"), 0, true).check(churn);
        assertThat(r.violated()).containsExactly("D1");
    }

    @Test
    void shouldOnlyReportPropertiesItWasAskedFor() {
        final List<TraceEvent> e = goodTotal().events;
        final List<TraceEvent> bad = without(e, indexOf(e, Type.DELIVER, "a#0", "c#0/1"));
        assertThat(new TraceChecker(Set.of("I1", "I2"), 0, false).check(bad).ok()).isTrue();
    }

    @Test
    void shouldRoundTripEveryEventThroughNdjson() {
        final List<TraceEvent> all = new ArrayList<>(goodTotal().events);
        all.add(TraceEvent.recv(1, "a#0", "b#0", 2));
        all.add(TraceEvent.suspect(2, "a#0", "b#0"));
        all.add(TraceEvent.state(true, 3, "a#0", "c#0", V1, 9, -5));
        all.add(TraceEvent.reject(4, "a#0", "decode", null));
        all.add(TraceEvent.gauge(5, "a#0", "unacked_bytes", 77));
        all.add(TraceEvent.fault(6, "partition", "{a} | {b, \"c\"}"));
        all.add(TraceEvent.simple(Type.CRASH, 7, "c#0"));
        for (final TraceEvent ev : all) {
            assertThat(TraceJson.parse(TraceJson.write(ev))).isEqualTo(ev);
        }
    }
}
