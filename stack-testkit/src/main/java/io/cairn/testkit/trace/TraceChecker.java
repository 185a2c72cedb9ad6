package io.cairn.testkit.trace;

import io.cairn.stack.spi.Property;
import io.cairn.testkit.trace.TraceEvent.Mode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the properties of CORRECTNESS.md §1 on a trace, using only the event schema: it recomputes order and
 * causality itself and never trusts the implementation's sequence numbers or vector clocks. Invariants are checked
 * as each event is read; liveness-like validations (I3 at the end, I4, M5, U1, V2 across all installs, T1, T2, L1,
 * S2, X1's leave rule and returning incarnations) after the last event. Cost is O(events × N).
 *
 * <h2>Exit is not a crash (X1)</h2>
 * Only {@code crash} is a crash: a crashed process is excused, in every view, for what it did not do and for the
 * order it delivered in unless that order was uniform (SAFE). A process that {@code exit}s is live up to its exit
 * event, and how it is judged in its <em>final</em> view depends on the exit reason:
 * <ul>
 * <li><b>{@code left}</b> (a graceful leave; the leaver took part in the flush of its final view V): judged fully
 *     live for V. I3: its own casts in V are self-delivered. T1/T2: its deliveries count as a live member's (no
 *     numbering conflict, and its order in V <em>equals</em> that of every member that moved from V to a
 *     successor). The leave rule (X1): every message it sent in V and every message it delivered in V is delivered
 *     in V by every member that moved from V to a successor.</li>
 * <li><b>{@code excluded}, {@code primary_lost} or any other reason</b>: the member did not take part in the flush
 *     of its final view, so for the non-uniform properties of that view (I3's end-of-run part, T1/T2, the leave
 *     rule) it is treated like a crashed member. In a minority partition a non-uniform stack legitimately
 *     delivers there what the majority orders differently: a sequencer cut off from the majority orders and
 *     delivers its own casts, which the majority, after excluding it, orders otherwise or not at all. Only
 *     uniform (SAFE) delivery prevents that, and U1 checks it for every process, whatever became of it. Every
 *     earlier view of such a member is an ordinary closed view and is judged as for anyone.</li>
 * </ul>
 * Whatever the reason, X1 also requires that (a) a process has no {@code install}, {@code send} or
 * {@code deliver} after its {@code exit} or {@code crash}, and (b) an excluded incarnation never returns: if some
 * member moved from V to V' with p ∈ V and p ∉ V', then p (the same {@code name#incarnation}) is in no view of
 * the same lineage with a higher epoch than V' (it rejoins as a new incarnation). Rule (b) assumes the
 * primary-partition mode; a partitionable stack with merge, where a member cut off in a concurrent view returns
 * with the merge, would need it relaxed (no shipped stack runs that mode).
 *
 * <h2>End-of-run records</h2>
 * S2: every live member's {@code final} event carries its application digest; all of one view must be equal.
 * E1: every process's {@code handler_errors} gauge must be 0.
 */
public final class TraceChecker {
    private final Set<String> properties;
    private final long unackedBound;
    private final boolean faultFree;

    /**
     * @param properties   property ids to check
     * @param unackedBound FC1 bound on the {@code unacked_bytes} gauge (credits + window)
     * @param faultFree    whether the run had no faults (enables D1)
     */
    public TraceChecker(final Set<String> properties, final long unackedBound, final boolean faultFree) {
        this.properties = Set.copyOf(properties);
        this.unackedBound = unackedBound;
        this.faultFree = faultFree;
    }

    /** The arguments of the fault event with which the simulator starts its quiescent tail (every fault ends). */
    public static final String QUIESCENT_TAIL = "quiescent tail: all faults end";

    /**
     * The properties a stack promises, from what its layers and transport provide.
     *
     * @param provides the stack's properties
     * @return property ids to check
     */
    public static Set<String> propertiesFor(final Set<Property> provides) {
        final Set<String> out = new TreeSet<>(List.of("I1", "I2", "V1", "V4", "M1", "M2", "M3", "E1", "X1"));
        if (provides.contains(Property.RELIABLE)) {
            out.addAll(List.of("I3", "I4"));
        }
        if (provides.contains(Property.FIFO)) {
            out.add("F1");
        }
        if (provides.contains(Property.CAUSAL)) {
            out.add("C1");
        }
        if (provides.contains(Property.TOTAL)) {
            out.addAll(List.of("T1", "T2", "T3"));
            if (provides.contains(Property.FIFO)) {
                out.add("T4");
            }
        }
        if (provides.contains(Property.SAFE)) {
            out.addAll(List.of("U1", "U2"));
        }
        if (provides.contains(Property.MEMBERSHIP)) {
            out.addAll(List.of("M4", "M5"));
            if (provides.contains(Property.FAILURE_DETECTION)) {
                out.add("D1");
            }
        }
        if (provides.contains(Property.VIRTUAL_SYNCHRONY)) {
            out.addAll(List.of("V2", "V3"));
        }
        if (provides.contains(Property.FLOW_CONTROL)) {
            out.add("FC1");
        }
        if (provides.contains(Property.STATE_TRANSFER)) {
            out.addAll(List.of("S1", "S2"));
        }
        if (provides.contains(Property.MERGE)) {
            out.add("L1");
        }
        return out;
    }

    /** Per-process state. */
    static final class Proc {
        String vid;
        final List<String> installed = new ArrayList<>();
        /** Crashed (before any exit: a crash after an exit changes nothing, the process was already out). */
        boolean crashed;
        /** Exit reason, or null while in the group (or crashed). */
        String exit;
        boolean reportedAfterGone;
        /** Asked to leave (a {@code leave} event). */
        boolean leaveRequested;
        boolean blocked;
        long lastIdx;
        long lastGseq;
        final Map<String, List<TraceEvent>> deliveries = new HashMap<>();
        final Map<String, Long> lastSeq = new HashMap<>();
        final Map<String, Map<String, Long>> causal = new HashMap<>();
        final Map<String, Long> causalSends = new HashMap<>();

        /** @return whether it crashed or exited */
        boolean gone() {
            return crashed || exit != null;
        }

        /** @return whether it is still in the group at the end (neither crashed nor exited) */
        boolean live() {
            return !crashed && exit == null;
        }

        /** @return whether it left gracefully: judged fully live in its final view */
        boolean leaver() {
            return !crashed && TraceEvent.EXIT_LEFT.equals(exit);
        }

        /**
         * @param v a view it was in
         * @return whether what it did in {@code v} is judged as a live member's: not if it crashed, nor in the
         *         final view of a member that exited without taking part in the flush (excluded, primary lost)
         */
        boolean counts(final String v) {
            return !crashed && (exit == null || TraceEvent.EXIT_LEFT.equals(exit) || !v.equals(vid));
        }
    }

    final class Run {
        /** When the simulator's quiescent tail began (every fault ended), or -1: no tail was recorded. */
        long tailAt = -1;
        final List<Violation> violations = new ArrayList<>();
        final Map<String, Proc> procs = new LinkedHashMap<>();
        final Map<String, TraceEvent> sends = new HashMap<>();
        final Map<String, Long> firstSeqInView = new HashMap<>();
        final Set<String> delivered = new HashSet<>();
        final Map<String, TraceEvent> views = new HashMap<>();
        final Map<String, Map<String, Long>> vectorClocks = new HashMap<>();
        final Map<String, Long> gseqOf = new HashMap<>();
        final Map<String, String> msgOfGseq = new HashMap<>();
        /**
         * View id -> a view some member installed just before it. Following it back gives the first view of the
         * lineage (a group founded again after dying starts a new history, with no predecessor).
         */
        final Map<String, String> parent = new HashMap<>();
        final Map<String, String> rootCache = new HashMap<>();
        final Map<String, Set<String>> primarySucc = new HashMap<>();
        final Map<String, Set<String>> primaryPred = new HashMap<>();
        final Map<String, Set<String>> closedSets = new HashMap<>();
        final Map<String, Long> recvAt = new HashMap<>();
        final Map<String, Long> suspectedAt = new HashMap<>();
        final Map<String, Long> goneAt = new HashMap<>();
        final Map<String, TraceEvent> stateSent = new HashMap<>();
        /** Deliveries that carry a gseq, in trace order (T1 at the end). */
        final List<TraceEvent> numbered = new ArrayList<>();
        /** (member, view) -> the lowest epoch of a view some member moved to from that view without it (X1). */
        final Map<List<String>, Long> removedAt = new HashMap<>();
        final List<TraceEvent> finals = new ArrayList<>();
        boolean sawRecv;
        int suspicions;

        Proc proc(final String p) {
            return procs.computeIfAbsent(p, k -> new Proc());
        }

        /** @return the first view of {@code vid}'s lineage (only after the last event: links come late) */
        String root(final String vid) {
            final String known = rootCache.get(vid);
            if (known != null) {
                return known;
            }
            String v = vid;
            for (String up = parent.get(v); up != null; up = parent.get(v)) {
                v = up;
            }
            rootCache.put(vid, v);
            return v;
        }

        void fail(final String prop, final String msg, final TraceEvent... evs) {
            if (properties.contains(prop)) {
                violations.add(new Violation(prop, msg, List.of(evs)));
            }
        }
    }

    /**
     * @param trace the trace
     * @return the report
     */
    public CheckReport check(final List<TraceEvent> trace) {
        final Run r = new Run();
        for (final TraceEvent e : trace) {
            switch (e.type()) {
                case INSTALL -> onInstall(r, e);
                case SEND -> onSend(r, e);
                case RECV -> {
                    r.sawRecv = true;
                    r.recvAt.putIfAbsent(e.p() + "|" + e.msg(), e.t());
                }
                case DELIVER -> onDeliver(r, e);
                case CRASH -> {
                    final Proc p = r.proc(e.p());
                    p.crashed |= p.exit == null;
                    r.goneAt.putIfAbsent(e.p(), e.t());
                }
                case EXIT -> {
                    final Proc p = r.proc(e.p());
                    if (!p.gone()) {
                        p.exit = e.name() == null ? "unknown" : e.name();
                    }
                    r.goneAt.putIfAbsent(e.p(), e.t());
                }
                case LEAVE -> r.proc(e.p()).leaveRequested = true;
                case FAULT -> {
                    if (QUIESCENT_TAIL.equals(e.args())) {
                        r.tailAt = e.t();
                    }
                }
                case FINAL -> r.finals.add(e);
                case BLOCK -> r.proc(e.p()).blocked = true;
                case UNBLOCK -> r.proc(e.p()).blocked = false;
                case SUSPECT -> {
                    r.suspicions++;
                    r.suspectedAt.putIfAbsent(e.src(), e.t());
                }
                case STATE_SENT -> r.stateSent.put(e.p() + ">" + e.src() + "@" + e.vid(), e);
                case STATE_RECV -> onStateRecv(r, e);
                case REJECT -> r.proc(e.p());
                case GAUGE -> {
                    r.proc(e.p());
                    if ("unacked_bytes".equals(e.name()) && e.value() > unackedBound) {
                        r.fail("FC1", "unacked bytes " + e.value() + " exceed credits + window = " + unackedBound, e);
                    }
                    if (TraceEvent.CAST_STALLED_NS.equals(e.name())) {
                        r.fail("FC1", e.p() + "'s stack took no cast for " + e.value() / 1_000_000
                            + " ms: back-pressure never lifted", e);
                    }
                    if (TraceEvent.HANDLER_ERRORS.equals(e.name()) && e.value() > 0) {
                        r.fail("E1", "layers threw " + e.value() + " time(s) at " + e.p(), e);
                    }
                }
                default -> {
                }
            }
        }
        new TraceEndChecks(r, properties, faultFree).run();
        return new CheckReport(properties, r.violations, trace.size());
    }

    /** X1 (a): nothing happens at a process after its exit or crash. */
    private static void afterGone(final Run r, final Proc p, final TraceEvent e) {
        if (p.gone() && !p.reportedAfterGone) {
            p.reportedAfterGone = true;
            r.fail("X1", e.p() + " has a " + e.type().wire() + " after it " + (p.crashed ? "crashed" : "exited ("
                + p.exit + ")"), e);
        }
    }

    private void onInstall(final Run r, final TraceEvent e) {
        final Proc p = r.proc(e.p());
        afterGone(r, p, e);
        if (!e.members().contains(e.p())) {
            r.fail("M1", e.p() + " installed a view it is not a member of", e);
        }
        if (p.vid != null && compareVid(e.vid(), p.vid) <= 0) {
            r.fail("M2", e.p() + " installed " + e.vid() + " after " + p.vid, e);
        }
        if (p.vid != null && compareVid(p.vid, e.vid()) < 0) {
            // A joiner (no previous view) may install a view first: the link comes from whoever had one.
            r.parent.putIfAbsent(e.vid(), p.vid);
        }
        final TraceEvent known = r.views.putIfAbsent(e.vid(), e);
        if (known != null && (!known.members().equals(e.members()) || known.primary() != e.primary())) {
            r.fail("M3", "view " + e.vid() + " has different members or primary flag at two processes", known, e);
        }
        if (p.vid != null) {
            closeView(r, e.p(), p, p.vid, e);
            final TraceEvent prev = r.views.get(p.vid);
            if (prev != null && prev.primary() && e.primary()) {
                r.primarySucc.computeIfAbsent(p.vid, k -> new TreeSet<>()).add(e.vid());
                r.primaryPred.computeIfAbsent(e.vid(), k -> new TreeSet<>()).add(p.vid);
            }
        }
        p.vid = e.vid();
        p.installed.add(e.vid());
        p.blocked = false;
    }

    /** p leaves view {@code vid} for the view of {@code next}: I3 and V2 for that transition. */
    private void closeView(final Run r, final String name, final Proc p, final String vid, final TraceEvent next) {
        final List<TraceEvent> ds = p.deliveries.getOrDefault(vid, List.of());
        final Set<String> set = new TreeSet<>();
        ds.forEach(d -> set.add(d.msg()));
        for (final TraceEvent s : r.sends.values()) {
            if (s.p().equals(name) && vid.equals(s.vid()) && !set.contains(s.msg())) {
                r.fail("I3", name + " moved to " + next.vid() + " without delivering its own " + s.msg() + " sent in "
                    + vid, s, next);
            }
        }
        final String key = vid + "->" + next.vid();
        final Set<String> ref = r.closedSets.putIfAbsent(key, set);
        final TraceEvent from = r.views.get(vid);
        if (ref == null && from != null) {
            for (final String m : from.members()) {
                if (!next.members().contains(m)) {
                    r.removedAt.merge(List.of(m, vid), TraceEvent.epochOf(next.vid()), Math::min);
                }
            }
        }
        if (ref != null && !ref.equals(set)) {
            final Set<String> missing = new TreeSet<>(ref);
            missing.removeAll(set);
            final Set<String> extra = new TreeSet<>(set);
            extra.removeAll(ref);
            r.fail("V2", name + " delivered a different set in " + vid + " than another member that also moved to "
                + next.vid() + ": missing " + abbreviate(missing) + ", extra " + abbreviate(extra), next);
        }
    }

    static String abbreviate(final Set<String> s) {
        return s.size() <= 8 ? s.toString() : new ArrayList<>(s).subList(0, 8) + "… (" + s.size() + ")";
    }

    private void onSend(final Run r, final TraceEvent e) {
        final Proc p = r.proc(e.p());
        afterGone(r, p, e);
        if (p.blocked) {
            r.fail("V3", e.p() + " sent " + e.msg() + " while blocked by a flush", e);
        }
        // Both recorders record a cast once, in the view the stack sends it in (TraceRecorder says why the
        // real-time one can): a second record of a message id is a second message with the same id.
        final TraceEvent earlier = r.sends.putIfAbsent(e.msg(), e);
        if (earlier != null) {
            r.fail("I1", "message id " + e.msg() + " sent twice", earlier, e);
        }
        r.firstSeqInView.merge(e.src() + "@" + e.vid(), e.seq(), Math::min);
        if (e.mode() == Mode.CAUSAL) {
            final Map<String, Long> vc = new HashMap<>(p.causal.getOrDefault(e.vid(), Map.of()));
            vc.put(e.p(), p.causalSends.merge(e.vid(), 1L, Long::sum));
            r.vectorClocks.put(e.msg(), vc);
        }
    }

    private void onDeliver(final Run r, final TraceEvent e) {
        final Proc q = r.proc(e.p());
        afterGone(r, q, e);
        final TraceEvent s = r.sends.get(e.msg());
        if (s == null || s.h() != e.h()) {
            r.fail("I1", e.p() + " delivered " + e.msg() + (s == null ? " which was never sent"
                : " with a payload that differs from what was sent"), s == null ? e : s, e);
        }
        if (!r.delivered.add(e.p() + "|" + e.msg())) {
            r.fail("I2", e.p() + " delivered " + e.msg() + " twice", e);
        }
        if (s != null && !java.util.Objects.equals(s.vid(), e.vid())) {
            r.fail("V1", e.msg() + " sent in " + s.vid() + " but delivered in " + e.vid() + " at " + e.p(), s, e);
        }
        final TraceEvent v = r.views.get(e.vid());
        if (v != null && !v.members().contains(e.src())) {
            r.fail("V4", e.p() + " delivered " + e.msg() + " from a non-member of " + e.vid(), e);
        }
        if (q.vid != null && !q.vid.equals(e.vid())) {
            r.fail("V1", e.p() + " delivered " + e.msg() + " in " + e.vid() + " while in view " + q.vid, e);
        }
        q.deliveries.computeIfAbsent(e.vid(), k -> new ArrayList<>()).add(e);
        if (e.idx() != 0 && e.idx() != q.lastIdx + 1) {
            r.fail("I2", e.p() + " delivery index jumps from " + q.lastIdx + " to " + e.idx(), e);
        }
        q.lastIdx = e.idx();
        if (e.mode() != null && e.mode() != Mode.RELIABLE) {
            final String key = e.src() + "@" + e.vid();
            final Long last = q.lastSeq.get(key);
            final long expected = last == null ? r.firstSeqInView.getOrDefault(key, e.seq()) : last + 1;
            if (e.seq() != expected) {
                r.fail("F1", e.p() + " delivered " + e.msg() + " but expected seq " + expected + " from " + e.src()
                    + " in " + e.vid(), e);
                if (e.mode() == Mode.TOTAL || e.mode() == Mode.SAFE) {
                    r.fail("T4", "the total order at " + e.p() + " puts " + e.msg() + " where its sender's seq "
                        + expected + " belongs (order incompatible with FIFO)", e);
                }
            }
            q.lastSeq.put(key, e.seq());
        }
        if (e.mode() == Mode.CAUSAL) {
            checkCausal(r, q, e);
        }
        if (e.gseq() != 0) {
            // T1 is judged at the end, once it is known who crashed or exited without a flush.
            r.numbered.add(e);
            if (e.gseq() != q.lastGseq + 1) {
                r.fail("T3", e.p() + " delivered gseq " + e.gseq() + " after " + q.lastGseq, e);
            }
            q.lastGseq = e.gseq();
        }
    }

    private void checkCausal(final Run r, final Proc q, final TraceEvent e) {
        final Map<String, Long> vc = r.vectorClocks.get(e.msg());
        final Map<String, Long> dq = q.causal.computeIfAbsent(e.vid(), k -> new HashMap<>());
        if (vc != null) {
            if (dq.getOrDefault(e.src(), 0L) != vc.get(e.src()) - 1) {
                r.fail("C1", e.p() + " delivered " + e.msg() + " out of its sender's order", e);
            }
            for (final Map.Entry<String, Long> k : vc.entrySet()) {
                if (!k.getKey().equals(e.src()) && dq.getOrDefault(k.getKey(), 0L) < k.getValue()) {
                    r.fail("C1", e.p() + " delivered " + e.msg() + " before " + (k.getValue()
                        - dq.getOrDefault(k.getKey(), 0L)) + " message(s) from " + k.getKey()
                        + " that causally precede it", e);
                }
            }
        }
        dq.merge(e.src(), 1L, Long::sum);
    }

    private void onStateRecv(final Run r, final TraceEvent e) {
        final TraceEvent sent = r.stateSent.get(e.p() + ">" + e.src() + "@" + e.vid());
        if (sent == null || sent.value() != e.value() || sent.gseq() != e.gseq()) {
            r.fail("S1", e.src() + " received state from " + e.p() + " that differs from what was sent (cut "
                + e.gseq() + ")", sent == null ? e : sent, e);
        }
        r.proc(e.src()).lastGseq = e.gseq();
    }

    /** Total order on view ids: epoch, then the coordinator text. */
    static int compareVid(final String a, final String b) {
        final int c = Long.compare(TraceEvent.epochOf(a), TraceEvent.epochOf(b));
        return c != 0 ? c : a.compareTo(b);
    }
}
