package io.cairn.testkit.trace;

import io.cairn.stack.spi.Property;
import io.cairn.testkit.trace.TraceEvent.Mode;
import io.cairn.testkit.trace.TraceEvent.Type;

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
 * as each event is read; liveness-like validations (I3 at the end, I4, M5, U1, V2 across all installs, T2, L1)
 * after the last event. Cost is O(events × N).
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

    /**
     * The properties a stack promises, from what its layers and transport provide.
     *
     * @param provides the stack's properties
     * @return property ids to check
     */
    public static Set<String> propertiesFor(final Set<Property> provides) {
        final Set<String> out = new TreeSet<>(List.of("I1", "I2", "V1", "V4", "M1", "M2", "M3"));
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
        }
        if (provides.contains(Property.VIRTUAL_SYNCHRONY)) {
            out.addAll(List.of("V2", "V3"));
        }
        if (provides.contains(Property.FLOW_CONTROL)) {
            out.add("FC1");
        }
        if (provides.contains(Property.STATE_TRANSFER)) {
            out.add("S1");
        }
        if (provides.contains(Property.MERGE)) {
            out.add("L1");
        }
        return out;
    }

    /** Per-process state. */
    private static final class Proc {
        String vid;
        final List<String> installed = new ArrayList<>();
        boolean crashed;
        boolean blocked;
        long lastIdx;
        long lastGseq;
        final Map<String, List<TraceEvent>> deliveries = new HashMap<>();
        final Map<String, Long> lastSeq = new HashMap<>();
        final Map<String, Map<String, Long>> causal = new HashMap<>();
        final Map<String, Long> causalSends = new HashMap<>();
    }

    private final class Run {
        final List<Violation> violations = new ArrayList<>();
        final Map<String, Proc> procs = new LinkedHashMap<>();
        final Map<String, TraceEvent> sends = new HashMap<>();
        final Map<String, Long> firstSeqInView = new HashMap<>();
        final Set<String> delivered = new HashSet<>();
        final Map<String, TraceEvent> views = new HashMap<>();
        final Map<String, Map<String, Long>> vectorClocks = new HashMap<>();
        final Map<String, Long> gseqOf = new HashMap<>();
        final Map<String, String> msgOfGseq = new HashMap<>();
        /** View id -> the first view of its lineage (a group founded again after dying starts a new history). */
        final Map<String, String> lineage = new HashMap<>();
        final Map<String, Set<String>> primarySucc = new HashMap<>();
        final Map<String, Set<String>> primaryPred = new HashMap<>();
        final Map<String, Set<String>> closedSets = new HashMap<>();
        final Map<String, Long> recvAt = new HashMap<>();
        final Map<String, Long> suspectedAt = new HashMap<>();
        final Map<String, Long> goneAt = new HashMap<>();
        final List<TraceEvent[]> pendingI3 = new ArrayList<>();
        final Map<String, TraceEvent> stateSent = new HashMap<>();
        final Map<String, String> firstAtGseq = new HashMap<>();
        final Map<String, String> firstOfMsg = new HashMap<>();
        final List<String[]> orderConflicts = new ArrayList<>();
        final List<TraceEvent> conflictEvents = new ArrayList<>();
        boolean sawRecv;
        int suspicions;

        Proc proc(final String p) {
            return procs.computeIfAbsent(p, k -> new Proc());
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
                case CRASH, LEAVE -> {
                    r.proc(e.p()).crashed = true;
                    r.goneAt.putIfAbsent(e.p(), e.t());
                }
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
                }
                default -> {
                }
            }
        }
        new EndChecks(r).run();
        return new CheckReport(properties, r.violations, trace.size());
    }

    private void onInstall(final Run r, final TraceEvent e) {
        final Proc p = r.proc(e.p());
        if (!e.members().contains(e.p())) {
            r.fail("M1", e.p() + " installed a view it is not a member of", e);
        }
        if (p.vid != null && compareVid(e.vid(), p.vid) <= 0) {
            r.fail("M2", e.p() + " installed " + e.vid() + " after " + p.vid, e);
        }
        r.lineage.computeIfAbsent(e.vid(), k -> p.vid == null ? k : r.lineage.getOrDefault(p.vid, p.vid));
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
                final long common = e.members().stream().filter(prev.members()::contains).count();
                if (common * 2 <= prev.members().size()) {
                    r.fail("M4", "primary view " + e.vid() + " keeps only " + common + " of the "
                        + prev.members().size() + " members of " + p.vid, prev, e);
                }
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
                // Judged at the end: a real-time recorder may still re-record the cast as sent in the next view.
                r.pendingI3.add(new TraceEvent[] {s, next});
            }
        }
        final String key = vid + "->" + next.vid();
        final Set<String> ref = r.closedSets.putIfAbsent(key, set);
        if (ref != null && !ref.equals(set)) {
            final Set<String> missing = new TreeSet<>(ref);
            missing.removeAll(set);
            final Set<String> extra = new TreeSet<>(set);
            extra.removeAll(ref);
            r.fail("V2", name + " delivered a different set in " + vid + " than another member that also moved to "
                + next.vid() + ": missing " + abbreviate(missing) + ", extra " + abbreviate(extra), next);
        }
    }

    private static String abbreviate(final Set<String> s) {
        return s.size() <= 8 ? s.toString() : new ArrayList<>(s).subList(0, 8) + "… (" + s.size() + ")";
    }

    private void onSend(final Run r, final TraceEvent e) {
        final Proc p = r.proc(e.p());
        if (p.blocked) {
            r.fail("V3", e.p() + " sent " + e.msg() + " while blocked by a flush", e);
        }
        final TraceEvent earlier = r.sends.putIfAbsent(e.msg(), e);
        if (earlier != null) {
            if (earlier.p().equals(e.p()) && earlier.h() == e.h() && earlier.vid() != null && e.vid() != null
                && compareVid(e.vid(), earlier.vid()) > 0) {
                // A real-time recorder re-records a cast the stack took after a flush began: sent in the later view.
                r.sends.put(e.msg(), e);
            } else {
                r.fail("I1", "message id " + e.msg() + " sent twice", earlier, e);
            }
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
            final String at = r.lineage.getOrDefault(e.vid(), e.vid()) + "#" + e.gseq();
            final Long g = r.gseqOf.putIfAbsent(e.msg(), e.gseq());
            final String m = r.msgOfGseq.putIfAbsent(at, e.msg());
            final boolean otherNumber = g != null && g != e.gseq();
            final boolean otherMessage = m != null && !m.equals(e.msg());
            if (otherNumber || otherMessage) {
                // Judged at the end: a member that crashes may have delivered differently unless order is uniform.
                r.orderConflicts.add(new String[] {e.p(), otherNumber ? r.firstOfMsg.get(e.msg()) : null,
                    otherMessage ? r.firstAtGseq.get(at) : null, e.msg() + " has gseq " + e.gseq() + " at "
                    + e.p() + ", but elsewhere gseq " + e.gseq() + " is " + m + " and " + e.msg() + " has gseq "
                    + g});
                r.conflictEvents.add(e);
            }
            r.firstAtGseq.putIfAbsent(at, e.p());
            r.firstOfMsg.putIfAbsent(e.msg(), e.p());
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

    /** Checks evaluated after the last event. */
    private final class EndChecks {
        private final Run r;

        EndChecks(final Run r) {
            this.r = r;
        }

        void run() {
            for (final TraceEvent[] c : r.pendingI3) {
                final TraceEvent s = c[0];
                if (r.sends.get(s.msg()) == s) {
                    r.fail("I3", s.p() + " moved to " + c[1].vid() + " without delivering its own " + s.msg()
                        + " sent in " + s.vid(), s, c[1]);
                }
            }
            orderAgreement();
            selfDeliveryAndAgreement();
            totalOrderPrefixes();
            uniformity();
            primaryChain();
            if (faultFree) {
                final long changes = r.procs.values().stream().mapToLong(p -> Math.max(0, p.installed.size() - 1))
                    .sum();
                if (r.suspicions > 0 || changes > 0) {
                    r.fail("D1", "fault-free run had " + r.suspicions + " suspicion(s) and " + changes
                        + " view change(s)");
                }
            }
            if (properties.contains("L1")) {
                final Set<String> finals = new TreeSet<>();
                r.procs.values().stream().filter(p -> !p.crashed && p.vid != null).forEach(p -> finals.add(p.vid));
                if (finals.size() > 1) {
                    r.fail("L1", "live processes end in " + finals.size() + " views: " + finals);
                }
                r.procs.forEach((name, p) -> {
                    if (!p.crashed && p.vid == null) {
                        r.fail("L1", name + " is alive at the end but never installed a view");
                    }
                });
            }
        }

        private void selfDeliveryAndAgreement() {
            final Set<String> liveDelivered = new HashSet<>();
            r.procs.forEach((name, p) -> {
                if (!p.crashed) {
                    p.deliveries.values().forEach(l -> l.forEach(d -> liveDelivered.add(d.msg())));
                }
            });
            for (final Map.Entry<String, Proc> en : r.procs.entrySet()) {
                final Proc q = en.getValue();
                if (q.crashed || q.vid == null) {
                    continue;
                }
                final Set<String> mine = new HashSet<>();
                q.deliveries.getOrDefault(q.vid, List.of()).forEach(d -> mine.add(d.msg()));
                for (final TraceEvent s : r.sends.values()) {
                    if (!s.vid().equals(q.vid) || mine.contains(s.msg())) {
                        continue;
                    }
                    final Proc sender = r.procs.get(s.p());
                    final boolean senderLive = sender != null && !sender.crashed;
                    if (s.p().equals(en.getKey())) {
                        r.fail("I3", en.getKey() + " never delivered its own " + s.msg(), s);
                    } else if (senderLive || liveDelivered.contains(s.msg())) {
                        r.fail("I4", en.getKey() + " never delivered " + s.msg() + " sent in its final view "
                            + q.vid + (senderLive ? "" : " (delivered by another live member)"), s);
                    }
                }
            }
        }

        /**
         * T1: conflicts between two members' numbering. A member that crashed may have delivered an order nobody
         * else did (non-uniform total order, e.g. a sequencer that delivered its own batch and died) unless the
         * message was SAFE (uniform).
         */
        private void orderAgreement() {
            for (int i = 0; i < r.orderConflicts.size(); i++) {
                final String[] c = r.orderConflicts.get(i);
                final TraceEvent e = r.conflictEvents.get(i);
                final boolean uniform = e.mode() == Mode.SAFE;
                if (uniform || (live(c[0]) && (live(c[1]) || live(c[2])))) {
                    r.fail("T1", c[3], e);
                }
            }
        }

        private boolean live(final String name) {
            final Proc p = name == null ? null : r.procs.get(name);
            return p != null && !p.crashed;
        }

        private void totalOrderPrefixes() {
            if (!properties.contains("T2")) {
                return;
            }
            final Map<String, List<List<String>>> byView = new HashMap<>();
            final Map<String, List<String>> owners = new HashMap<>();
            r.procs.forEach((name, p) -> p.deliveries.forEach((vid, ds) -> {
                // A crashed member's prefix counts only where order is uniform (SAFE).
                final List<String> order = ds.stream().filter(d -> d.mode() == Mode.SAFE
                    || (d.mode() == Mode.TOTAL && !p.crashed)).map(TraceEvent::msg).toList();
                byView.computeIfAbsent(vid, k -> new ArrayList<>()).add(order);
                owners.computeIfAbsent(vid, k -> new ArrayList<>()).add(name);
            }));
            byView.forEach((vid, orders) -> {
                List<String> longest = List.of();
                for (final List<String> o : orders) {
                    longest = o.size() > longest.size() ? o : longest;
                }
                for (int i = 0; i < orders.size(); i++) {
                    final List<String> o = orders.get(i);
                    if (!longest.subList(0, o.size()).equals(o)) {
                        int at = 0;
                        while (o.get(at).equals(longest.get(at))) {
                            at++;
                        }
                        r.fail("T2", owners.get(vid).get(i) + "'s total order in " + vid + " diverges at position "
                            + (at + 1) + ": " + o.get(at) + " where another member delivered " + longest.get(at));
                    }
                }
            });
            // Members that move from V to the same V' delivered the same total order in V.
            final Map<String, List<String>> closed = new HashMap<>();
            r.procs.forEach((name, p) -> {
                for (int i = 0; i + 1 < p.installed.size(); i++) {
                    final String vid = p.installed.get(i);
                    final List<String> order = p.deliveries.getOrDefault(vid, List.of()).stream()
                        .filter(d -> d.mode() == Mode.TOTAL || d.mode() == Mode.SAFE).map(TraceEvent::msg).toList();
                    final List<String> ref = closed.putIfAbsent(vid + "->" + p.installed.get(i + 1), order);
                    if (ref != null && !ref.equals(order)) {
                        r.fail("T2", name + " and another member moved from " + vid + " to " + p.installed.get(i + 1)
                            + " with different total orders (" + order.size() + " vs " + ref.size() + " messages)");
                    }
                }
            });
        }

        private void uniformity() {
            if (!properties.contains("U1") && !properties.contains("U2")) {
                return;
            }
            final Map<String, Set<String>> deliveredIn = new HashMap<>();
            r.procs.forEach((name, p) -> p.deliveries.forEach((vid, ds) ->
                ds.forEach(d -> deliveredIn.computeIfAbsent(name + "@" + vid, k -> new HashSet<>()).add(d.msg()))));
            r.procs.forEach((name, p) -> p.deliveries.forEach((vid, ds) -> {
                for (final TraceEvent d : ds) {
                    if (d.mode() != Mode.SAFE) {
                        continue;
                    }
                    final TraceEvent v = r.views.get(vid);
                    for (final String q : v == null ? List.<String>of() : v.members()) {
                        final Proc pq = r.procs.get(q);
                        final int at = pq == null ? -1 : pq.installed.indexOf(vid);
                        if (at >= 0 && at + 1 < pq.installed.size()
                            && !deliveredIn.getOrDefault(q + "@" + vid, Set.of()).contains(d.msg())) {
                            r.fail("U1", name + " delivered SAFE " + d.msg() + " in " + vid + " but " + q
                                + " moved on without it", d);
                        }
                        if (r.sawRecv && !q.equals(name)) {
                            final Long got = r.recvAt.get(q + "|" + d.msg());
                            final Long susp = r.suspectedAt.get(q);
                            final Long gone = r.goneAt.get(q);
                            if ((got == null || got > d.t()) && (susp == null || susp > d.t())
                                && (gone == null || gone > d.t())) {
                                r.fail("U2", name + " delivered SAFE " + d.msg() + " before " + q + " received it", d);
                            }
                        }
                    }
                }
            }));
        }

        private void primaryChain() {
            r.primarySucc.forEach((vid, succ) -> {
                if (succ.size() > 1) {
                    r.fail("M4", "primary view " + vid + " has " + succ.size() + " successors: " + succ);
                }
            });
            r.primaryPred.forEach((vid, pred) -> {
                if (pred.size() > 1) {
                    r.fail("M4", "primary view " + vid + " has " + pred.size() + " predecessors: " + pred);
                }
            });
            r.primarySucc.forEach((vid, succ) -> {
                final TraceEvent v = r.views.get(vid);
                final TraceEvent next = r.views.get(succ.iterator().next());
                for (final String m : v.members()) {
                    final Proc p = r.procs.get(m);
                    if (next.members().contains(m) && p != null && !p.crashed && p.installed.contains(vid)
                        && !p.installed.contains(next.vid())) {
                        r.fail("M5", m + " was in " + vid + " and " + next.vid() + " but skipped " + next.vid(), next);
                    }
                }
            });
        }
    }
}
