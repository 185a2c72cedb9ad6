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
        "T3", "T4", "U1", "U2", "M1", "M2", "M3", "M4", "M5", "V1", "V2", "V3", "V4", "FC1", "S1", "L1", "E1", "S2",
        "X1"));
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
    void shouldFlagACastRecordedTwiceEvenInALaterViewI1() {
        // Both recorders record a cast once, in the view the stack sends it in: no re-record is excused.
        final TraceBuilder twice = new TraceBuilder().install(V1, true, ABC).send("a#0", 1, V1, Mode.FIFO);
        for (final String p : ABC) {
            twice.event(TraceEvent.install(twice.now(), p, V2, List.of(ABC), true, V1));
        }
        twice.send("a#0", 1, V2, Mode.FIFO).deliverAll("a#0", 1, V2, Mode.FIFO, 0, ABC);
        assertFlags(twice.events, "I1");
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
        // A group founded again (a second root) while a primary view lives on: two live primaries at the end.
        final TraceBuilder refounded = new TraceBuilder().install("a#0", V1, true, "a#0", "b#0")
            .install("b#0", V1, true, "a#0", "b#0").install("c#1", "1:c#1", true, "c#1");
        assertFlags(refounded.events, "M4");
        final TraceBuilder skip = new TraceBuilder().install(V1, true, ABC)
            .install("a#0", V2, true, ABC).install("b#0", V2, true, ABC)
            .install("a#0", "3:a#0", true, ABC).install("b#0", "3:a#0", true, ABC).install("c#0", "3:a#0", true, ABC);
        assertFlags(skip.events, "M5");
    }

    @Test
    void shouldCountALeaverThatExitedFromThePreviousViewInM4sMajority() {
        final TraceBuilder leaver = new TraceBuilder().install("a#0", V1, true, "a#0", "b#0")
            .install("b#0", V1, true, "a#0", "b#0").simple(Type.LEAVE, "b#0")
            .install("a#0", "2:a#0", true, "a#0", "c#0").install("c#0", "2:a#0", true, "a#0", "c#0")
            .exit("b#0", TraceEvent.EXIT_PRIMARY_LOST);
        assertThat(new TraceChecker(Set.of("M4"), 0, false).check(leaver.events).violations()).isEmpty();
        final TraceBuilder dropped = new TraceBuilder().install("a#0", V1, true, "a#0", "b#0")
            .install("b#0", V1, true, "a#0", "b#0")
            .install("a#0", "2:a#0", true, "a#0", "c#0").install("c#0", "2:a#0", true, "a#0", "c#0")
            .exit("b#0", TraceEvent.EXIT_PRIMARY_LOST);
        assertFlags(dropped.events, "M4");
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
        assertFlags(new TraceBuilder().event(TraceEvent.gauge(1, "a#0", TraceEvent.CAST_STALLED_NS, 60_000_000_000L))
            .events, "FC1");
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
    void shouldFlagACrashedMemberLeftInASurvivorsFinalView() {
        // D1 completeness: c crashed (or its stack hung) and the survivors never excluded it.
        final TraceEvent tail = TraceEvent.fault(50, "heal", TraceChecker.QUIESCENT_TAIL);
        final TraceBuilder kept = new TraceBuilder().install(V1, true, ABC).simple(Type.CRASH, "c#0").event(tail);
        final CheckReport r = new TraceChecker(Set.of("I1", "D1"), 0, false).check(kept.events);
        assertThat(r.violated()).containsExactly("D1");
        assertThat(r.violations().get(0).message()).contains("with c#0, which crashed");
        final TraceBuilder excluded = new TraceBuilder().install(V1, true, ABC).simple(Type.CRASH, "c#0")
            .install("a#0", "2:a#0", true, "a#0", "b#0").install("b#0", "2:a#0", true, "a#0", "b#0").event(tail);
        assertThat(new TraceChecker(Set.of("I1", "D1"), 0, false).check(excluded.events).ok()).isTrue();
        // Without a quiescent tail (real transports) or for a crash during it, there is no bound to judge by.
        final TraceBuilder noTail = new TraceBuilder().install(V1, true, ABC).simple(Type.CRASH, "c#0");
        assertThat(new TraceChecker(Set.of("I1", "D1"), 0, false).check(noTail.events).ok()).isTrue();
    }

    @Test
    void shouldOnlyReportPropertiesItWasAskedFor() {
        final List<TraceEvent> e = goodTotal().events;
        final List<TraceEvent> bad = without(e, indexOf(e, Type.DELIVER, "a#0", "c#0/1"));
        assertThat(new TraceChecker(Set.of("I1", "I2"), 0, false).check(bad).ok()).isTrue();
    }

    @Test
    void shouldFlagALayerThatThrewE1() {
        assertFlags(goodTotal().gauge("b#0", TraceEvent.HANDLER_ERRORS, 1).events, "E1");
        final TraceBuilder clean = goodTotal();
        for (final String p : ABC) {
            clean.gauge(p, TraceEvent.HANDLER_ERRORS, 0);
        }
        assertThat(check(clean.events).violations()).isEmpty();
        assertThat(TraceChecker.propertiesFor(Set.of())).contains("E1", "X1");
    }

    @Test
    void shouldFlagLiveMembersOfTheFinalViewWithDifferentStatesS2() {
        final long digest = 42;
        assertFlags(goodTotal().finalState("a#0", V2, digest).finalState("b#0", V2, digest + 1)
            .finalState("c#0", V2, digest).events, "S2");
        // A crashed member's state does not count (nor does an exited one's).
        final TraceBuilder crashed = goodTotal().simple(Type.CRASH, "c#0").finalState("a#0", V2, digest)
            .finalState("b#0", V2, digest).finalState("c#0", V2, digest + 1);
        assertThat(check(crashed.events).violations()).isEmpty();
    }

    /**
     * a, b, c, d in V1; d casts and crashes; c casts and delivers both; then c leaves (or, in the variants, is
     * excluded or crashes) and a, b move to V2 = {a, b}, having delivered what {@code survivorsDeliver} says.
     */
    private static TraceBuilder leaving(final boolean survivorsDeliverC, final boolean survivorsDeliverD,
                                        final String how) {
        final String[] abcd = {"a#0", "b#0", "c#0", "d#0"};
        // Not primary views: 2 of 4 is no majority (M4), and the leave rule does not depend on it.
        final TraceBuilder b = new TraceBuilder().install(V1, false, abcd)
            .send("d#0", 1, V1, Mode.FIFO).deliver("d#0", "d#0", 1, V1, Mode.FIFO, 0).simple(Type.CRASH, "d#0")
            .send("c#0", 1, V1, Mode.FIFO).deliver("c#0", "c#0", 1, V1, Mode.FIFO, 0)
            .deliver("c#0", "d#0", 1, V1, Mode.FIFO, 0);
        if (survivorsDeliverC) {
            b.deliverAll("c#0", 1, V1, Mode.FIFO, 0, "a#0", "b#0");
        }
        if (survivorsDeliverD) {
            b.deliverAll("d#0", 1, V1, Mode.FIFO, 0, "a#0", "b#0");
        }
        if (how.equals("crash")) {
            b.simple(Type.CRASH, "c#0");
        } else if (how.equals(TraceEvent.EXIT_LEFT)) {
            b.simple(Type.LEAVE, "c#0");
        }
        b.install("a#0", V2, false, "a#0", "b#0").install("b#0", V2, false, "a#0", "b#0");
        if (!how.equals("crash")) {
            b.exit("c#0", how);
        }
        return b;
    }

    @Test
    void shouldRequireTheSurvivorsToDeliverWhatALeaverSentOrDeliveredX1() {
        assertThat(check(leaving(true, true, TraceEvent.EXIT_LEFT).events).violations()).isEmpty();
        // The leaver's own cast: delivered only by itself, and the survivors moved on without it.
        final CheckReport sent = check(leaving(false, true, TraceEvent.EXIT_LEFT).events);
        assertThat(sent.violated()).as(sent.summary()).containsExactly("X1");
        // A cast of a crashed member that the leaver delivered (it was live there: the survivors owe it too).
        final CheckReport delivered = check(leaving(true, false, TraceEvent.EXIT_LEFT).events);
        assertThat(delivered.violated()).as(delivered.summary()).containsExactly("X1");
    }

    @Test
    void shouldStillExcuseACrashAndTheFinalViewOfAnExcludedMember() {
        // What a crash excused before exit existed, it still excuses; so does exclusion, for the final view only.
        for (final String how : List.of("crash", TraceEvent.EXIT_EXCLUDED, TraceEvent.EXIT_PRIMARY_LOST)) {
            final CheckReport r = check(leaving(false, false, how).events);
            assertThat(r.violations()).as(how + ": " + r.summary()).isEmpty();
        }
        assertThat(check(crashedDivergence(Mode.TOTAL).events).violated()).doesNotContain("T1", "T2", "X1");
    }

    @Test
    void shouldRequireALeaverToDeliverItsOwnCastsI3() {
        final TraceBuilder b = leaving(true, true, TraceEvent.EXIT_LEFT);
        final List<TraceEvent> e = new ArrayList<>(b.events);
        e.remove(indexOf(e, Type.DELIVER, "c#0", "c#0/1"));
        assertFlags(e, "I3");
        final List<TraceEvent> excluded = new ArrayList<>(leaving(true, true, TraceEvent.EXIT_EXCLUDED).events);
        excluded.remove(indexOf(excluded, Type.DELIVER, "c#0", "c#0/1"));
        assertThat(check(excluded).violated()).doesNotContain("I3");
    }

    /** a, b, c in V1: a/1 and b/1 in total order; c delivers {@code cDelivers} of them, then leaves or is excluded. */
    private static TraceBuilder leaverOrder(final int cDelivers, final String how) {
        final TraceBuilder b = new TraceBuilder().install(V1, true, ABC)
            .send("a#0", 1, V1, Mode.TOTAL).send("b#0", 1, V1, Mode.TOTAL)
            .deliverAll("a#0", 1, V1, Mode.TOTAL, 1, "a#0", "b#0").deliverAll("b#0", 1, V1, Mode.TOTAL, 2, "a#0", "b#0");
        if (cDelivers > 0) {
            b.deliver("c#0", "a#0", 1, V1, Mode.TOTAL, 1);
        }
        if (cDelivers > 1) {
            b.deliver("c#0", "b#0", 1, V1, Mode.TOTAL, 2);
        }
        return b.install("a#0", V2, true, "a#0", "b#0").install("b#0", V2, true, "a#0", "b#0").exit("c#0", how);
    }

    @Test
    void shouldRequireALeaversFinalOrderToEqualTheSurvivorsT2() {
        assertThat(check(leaverOrder(2, TraceEvent.EXIT_LEFT).events).violations()).isEmpty();
        // A prefix is enough for a member that did not take part in the flush, not for a leaver.
        final CheckReport prefix = check(leaverOrder(1, TraceEvent.EXIT_LEFT).events);
        assertThat(prefix.violated()).as(prefix.summary()).containsExactly("T2");
        assertThat(check(leaverOrder(1, TraceEvent.EXIT_EXCLUDED).events).violations()).isEmpty();
        // A leaver's numbering counts as a live member's (T1); an excluded member's in its final view does not.
        final List<TraceEvent> renumbered = new ArrayList<>(leaverOrder(2, TraceEvent.EXIT_LEFT).events);
        final int i = indexOf(renumbered, Type.DELIVER, "c#0", "b#0/1");
        final TraceEvent d = renumbered.get(i);
        renumbered.set(i, TraceEvent.deliver(d.t(), d.p(), d.src(), d.seq(), d.vid(), d.mode(), d.h(), d.idx(), 3));
        assertThat(check(renumbered).violated()).contains("T1");
        final List<TraceEvent> excluded = new ArrayList<>(leaverOrder(2, TraceEvent.EXIT_EXCLUDED).events);
        final int j = indexOf(excluded, Type.DELIVER, "c#0", "b#0/1");
        final TraceEvent x = excluded.get(j);
        excluded.set(j, TraceEvent.deliver(x.t(), x.p(), x.src(), x.seq(), x.vid(), x.mode(), x.h(), x.idx(), 3));
        assertThat(check(excluded).violated()).doesNotContain("T1");
    }

    @Test
    void shouldFlagAnExcludedIncarnationThatReturnsX1() {
        // c#0 never noticed its exclusion (a one-way slow link) and is re-admitted as c#0: the bug.
        final String v3 = "3:a#0";
        final TraceBuilder returning = new TraceBuilder().install(V1, false, ABC)
            .install("a#0", V2, false, "a#0", "b#0").install("b#0", V2, false, "a#0", "b#0")
            .install(v3, false, ABC);
        final CheckReport r = check(returning.events);
        assertThat(r.violated()).as(r.summary()).containsExactly("X1");
        // Rejoining as a new incarnation is how it must come back.
        final TraceBuilder rejoined = new TraceBuilder().install(V1, false, ABC)
            .install("a#0", V2, false, "a#0", "b#0").install("b#0", V2, false, "a#0", "b#0")
            .exit("c#0", TraceEvent.EXIT_EXCLUDED).install(v3, false, "a#0", "b#0", "c#1");
        assertThat(check(rejoined.events).violations()).isEmpty();
        // A group founded again (no predecessor view) is a new lineage: its members may be anyone.
        final TraceBuilder refounded = new TraceBuilder().install(V1, false, ABC)
            .install("a#0", V2, false, "a#0", "b#0").install("b#0", V2, false, "a#0", "b#0")
            .exit("c#0", TraceEvent.EXIT_EXCLUDED).simple(Type.CRASH, "a#0").simple(Type.CRASH, "b#0")
            .install("c#1", "1:c#1", false, "c#1");
        assertThat(check(refounded.events).violations()).isEmpty();
    }

    @Test
    void shouldFlagAnythingAProcessDoesAfterItsExitOrCrashX1() {
        final List<TraceEvent> afterExit = new ArrayList<>(leaving(true, true, TraceEvent.EXIT_LEFT).events);
        afterExit.add(TraceEvent.deliver(1000, "c#0", "a#0", 9, V1, Mode.FIFO, 0, 9, 0));
        final CheckReport r = new TraceChecker(Set.of("X1"), 0, false).check(afterExit);
        assertThat(r.violated()).as(r.summary()).containsExactly("X1");
        final List<TraceEvent> afterCrash = new ArrayList<>(goodTotal().simple(Type.CRASH, "c#0").events);
        afterCrash.add(TraceEvent.send(1000, "c#0", 2, V2, Mode.TOTAL, 0));
        assertThat(new TraceChecker(Set.of("X1"), 0, false).check(afterCrash).violated()).containsExactly("X1");
        final List<TraceEvent> installAfterExit = new ArrayList<>(leaving(true, true, TraceEvent.EXIT_LEFT).events);
        installAfterExit.add(TraceEvent.install(1000, "c#0", "3:a#0", List.of("a#0", "b#0", "c#0"), true, V1));
        assertThat(new TraceChecker(Set.of("X1"), 0, false).check(installAfterExit).violated())
            .containsExactly("X1");
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
        all.add(TraceEvent.simple(Type.LEAVE, 8, "b#0"));
        all.add(TraceEvent.exit(9, "b#0", TraceEvent.EXIT_LEFT));
        all.add(TraceEvent.exit(10, "a#0", "state transfer \"interrupted\""));
        all.add(TraceEvent.finalState(11, "a#0", V2, -77));
        all.add(TraceEvent.gauge(12, "a#0", TraceEvent.HANDLER_ERRORS, 0));
        for (final TraceEvent ev : all) {
            assertThat(TraceJson.parse(TraceJson.write(ev))).isEqualTo(ev);
        }
        assertThat(TraceJson.write(TraceEvent.exit(9, "b#0", TraceEvent.EXIT_LEFT)))
            .isEqualTo("{\"ev\":\"exit\",\"t\":9,\"p\":\"b#0\",\"reason\":\"left\"}");
        assertThat(TraceJson.write(TraceEvent.finalState(11, "a#0", V2, 5)))
            .isEqualTo("{\"ev\":\"final\",\"t\":11,\"p\":\"a#0\",\"vid\":\"2:a#0\",\"digest\":5}");
        assertThat(TraceEvent.exitReasonOf("left the group")).isEqualTo(TraceEvent.EXIT_LEFT);
        assertThat(TraceEvent.exitReasonOf("excluded from the group")).isEqualTo(TraceEvent.EXIT_EXCLUDED);
        assertThat(TraceEvent.exitReasonOf("lost the primary partition (2 of 5 members reachable)"))
            .isEqualTo(TraceEvent.EXIT_PRIMARY_LOST);
        assertThat(TraceEvent.exitReasonOf("state transfer interrupted")).isEqualTo("state transfer interrupted");
    }
}
