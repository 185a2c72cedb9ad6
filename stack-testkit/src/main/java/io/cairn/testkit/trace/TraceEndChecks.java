package io.cairn.testkit.trace;

import io.cairn.testkit.trace.TraceChecker.Proc;
import io.cairn.testkit.trace.TraceEvent.Mode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks {@link TraceChecker} evaluates after the last event: I3's end-of-run part, I4, T1/T2 agreement, U1/U2,
 * M4 (majorities, one chain of primary views, one primary at the end), X1's leave rule and returning incarnations,
 * S2, D1 and L1.
 */
final class TraceEndChecks {
private final TraceChecker.Run r;
private final Set<String> properties;
private final boolean faultFree;

TraceEndChecks(final TraceChecker.Run r, final Set<String> properties, final boolean faultFree) {
    this.r = r;
    this.properties = properties;
    this.faultFree = faultFree;
}

    void run() {
        orderAgreement();
        selfDeliveryAndAgreement();
        totalOrderPrefixes();
        uniformity();
        primaryChain();
        leaveRule();
        returningIncarnations();
        finalStates();
        if (faultFree) {
            final long changes = r.procs.values().stream().mapToLong(p -> Math.max(0, p.installed.size() - 1))
                .sum();
            if (r.suspicions > 0 || changes > 0) {
                r.fail("D1", "fault-free run had " + r.suspicions + " suspicion(s) and " + changes
                    + " view change(s)");
            }
        }
        if (properties.contains("D1")) {
            completeness();
        }
        if (properties.contains("L1")) {
            final Set<String> finals = new TreeSet<>();
            r.procs.values().stream().filter(p -> p.live() && p.vid != null).forEach(p -> finals.add(p.vid));
            if (finals.size() > 1) {
                r.fail("L1", "live processes end in " + finals.size() + " views: " + finals);
            }
            r.procs.forEach((name, p) -> {
                if (p.live() && p.vid == null) {
                    r.fail("L1", name + " is alive at the end but never installed a view");
                }
            });
        }
    }

    /**
     * D1 completeness: a member that crashed (a hung stack included) before the simulator's quiescent tail is out of
     * every live member's final view. The tail is many detector timeouts long, so a member still there was never
     * suspected. Without a recorded tail (a run on real transports) there is no bound to judge by.
     */
    private void completeness() {
        if (r.tailAt < 0) {
            return;
        }
        r.procs.forEach((name, p) -> {
            final TraceEvent v = p.live() && p.vid != null ? r.views.get(p.vid) : null;
            if (v == null) {
                return;
            }
            for (final String m : v.members()) {
                final TraceChecker.Proc q = r.procs.get(m);
                if (q != null && q.crashed && r.goneAt.getOrDefault(m, Long.MAX_VALUE) <= r.tailAt) {
                    r.fail("D1", name + " ends in " + p.vid + " with " + m + ", which crashed", v);
                    return;
                }
            }
        });
    }

    /**
     * I3 at the end (a live member, or a graceful leaver in its final view, delivered its own casts of that
     * view) and I4 (a live member delivered what was sent in its final view, by a sender judged live there or
     * delivered by a member judged live there).
     */
    private void selfDeliveryAndAgreement() {
        final Set<String> liveDelivered = new HashSet<>();
        r.procs.forEach((name, p) -> p.deliveries.forEach((vid, l) -> {
            if (p.counts(vid)) {
                l.forEach(d -> liveDelivered.add(d.msg()));
            }
        }));
        for (final Map.Entry<String, Proc> en : r.procs.entrySet()) {
            final Proc q = en.getValue();
            if (!(q.live() || q.leaver()) || q.vid == null) {
                continue;
            }
            final Set<String> mine = new HashSet<>();
            q.deliveries.getOrDefault(q.vid, List.of()).forEach(d -> mine.add(d.msg()));
            for (final TraceEvent s : r.sends.values()) {
                if (!s.vid().equals(q.vid) || mine.contains(s.msg())) {
                    continue;
                }
                final Proc sender = r.procs.get(s.p());
                final boolean senderLive = sender != null && sender.counts(s.vid());
                if (s.p().equals(en.getKey())) {
                    r.fail("I3", en.getKey() + " never delivered its own " + s.msg()
                        + (q.leaver() ? " before leaving" : ""), s);
                } else if (q.live() && (senderLive || liveDelivered.contains(s.msg()))) {
                    r.fail("I4", en.getKey() + " never delivered " + s.msg() + " sent in its final view "
                        + q.vid + (senderLive ? "" : " (delivered by another live member)"), s);
                }
            }
        }
    }

    /**
     * T1: two deliveries disagree on a message's number or on the message at a number (in one lineage of
     * views). What a crashed member delivered, and what an excluded member delivered in its final view, is
     * ignored unless it was SAFE (uniform): such a member may have delivered an order nobody else did (e.g. a
     * sequencer that delivered its own batch and died, or was cut off).
     */
    private void orderAgreement() {
        final Map<String, TraceEvent> numberOf = new HashMap<>();
        final Map<String, TraceEvent> messageAt = new HashMap<>();
        for (final TraceEvent d : r.numbered) {
            if (d.mode() != Mode.SAFE && !r.proc(d.p()).counts(d.vid())) {
                continue;
            }
            final String at = r.root(d.vid()) + "#" + d.gseq();
            final TraceEvent g = numberOf.putIfAbsent(d.msg(), d);
            final TraceEvent m = messageAt.putIfAbsent(at, d);
            if (g != null && g.gseq() != d.gseq()) {
                r.fail("T1", d.msg() + " has gseq " + d.gseq() + " at " + d.p() + " but " + g.gseq() + " at "
                    + g.p(), g, d);
            } else if (m != null && !m.msg().equals(d.msg())) {
                r.fail("T1", "gseq " + d.gseq() + " is " + d.msg() + " at " + d.p() + " but " + m.msg() + " at "
                    + m.p(), m, d);
            }
        }
    }

    private void totalOrderPrefixes() {
        if (!properties.contains("T2")) {
            return;
        }
        final Map<String, List<List<String>>> byView = new HashMap<>();
        final Map<String, List<String>> owners = new HashMap<>();
        r.procs.forEach((name, p) -> p.deliveries.forEach((vid, ds) -> {
            // A crashed member's prefix (an excluded one's in its final view) counts only where order is
            // uniform (SAFE).
            final List<String> order = ds.stream().filter(d -> d.mode() == Mode.SAFE
                || (d.mode() == Mode.TOTAL && p.counts(vid))).map(TraceEvent::msg).toList();
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
                final List<String> order = totalOrder(p, vid);
                final List<String> ref = closed.putIfAbsent(vid + "->" + p.installed.get(i + 1), order);
                if (ref != null && !ref.equals(order)) {
                    r.fail("T2", name + " and another member moved from " + vid + " to " + p.installed.get(i + 1)
                        + " with different total orders (" + order.size() + " vs " + ref.size() + " messages)");
                }
            }
        });
        // A graceful leaver's order in its final view equals that of every member that moved on from it.
        r.procs.forEach((name, p) -> {
            if (!p.leaver() || p.vid == null) {
                return;
            }
            final List<String> order = totalOrder(p, p.vid);
            closed.forEach((key, ref) -> {
                if (key.startsWith(p.vid + "->") && !ref.equals(order)) {
                    r.fail("T2", "leaver " + name + "'s total order in its final view " + p.vid + " differs from "
                        + "that of the members that moved to " + key.substring(p.vid.length() + 2) + " ("
                        + order.size() + " vs " + ref.size() + " messages)");
                }
            });
        });
    }

    private List<String> totalOrder(final Proc p, final String vid) {
        return p.deliveries.getOrDefault(vid, List.of()).stream()
            .filter(d -> d.mode() == Mode.TOTAL || d.mode() == Mode.SAFE).map(TraceEvent::msg).toList();
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

    /**
     * M4's majority rule, judged at the end: a primary view keeps more than half of the members of the primary
     * view before it, counting members that left it gracefully (they took part in the flush that made the new
     * view and exited knowing it, so they can be in no other primary view), and members that asked to leave and
     * exited from it without installing another view: a leaver whose last INSTALL was lost exits by losing the
     * primary, without rejoining, and is in no other primary view either (soak: vsync, mixed, N = 5, seed 1035).
     */
    private void primaryMajority() {
        r.primarySucc.forEach((vid, succ) -> {
            final TraceEvent prev = r.views.get(vid);
            for (final String nextVid : succ) {
                final TraceEvent next = r.views.get(nextVid);
                long kept = 0;
                for (final String m : prev.members()) {
                    final Proc pm = r.procs.get(m);
                    final boolean leftFromIt = pm != null && !pm.crashed && pm.installed.size() > 0
                        && pm.installed.get(pm.installed.size() - 1).equals(vid)
                        && ("left".equals(pm.exit) || pm.leaveRequested && pm.exit != null);
                    if (next.members().contains(m) || leftFromIt) {
                        kept++;
                    }
                }
                if (kept * 2 <= prev.members().size()) {
                    r.fail("M4", "primary view " + nextVid + " keeps only " + kept + " of the "
                        + prev.members().size() + " members of " + vid + " (graceful leavers counted)", prev,
                        next);
                }
            }
        });
    }

    private void primaryChain() {
        primaryMajority();
        // One primary at a time: live processes never end in two primary views (a group founded again while
        // a primary view lives on is a second chain, which the edges alone cannot show).
        final Set<String> livePrimaries = new TreeSet<>();
        r.procs.values().stream().filter(p -> p.live() && p.vid != null && r.views.get(p.vid) != null
            && r.views.get(p.vid).primary()).forEach(p -> livePrimaries.add(p.vid));
        if (livePrimaries.size() > 1) {
            r.fail("M4", "live processes end in " + livePrimaries.size() + " primary views: " + livePrimaries);
        }
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
                // Excused: a crashed member, and one that exited while in vid (it can install nothing more).
                final boolean excused = p == null || p.crashed || (p.exit != null && vid.equals(p.vid));
                if (next.members().contains(m) && !excused && p.installed.contains(vid)
                    && !p.installed.contains(next.vid())) {
                    r.fail("M5", m + " was in " + vid + " and " + next.vid() + " but skipped " + next.vid(), next);
                }
            }
        });
    }

    /**
     * X1, the leave rule: every message a graceful leaver sent or delivered in its final view V is delivered in
     * V by every member that moved from V to a successor.
     */
    private void leaveRule() {
        r.procs.forEach((name, p) -> {
            if (!p.leaver() || p.vid == null) {
                return;
            }
            final String v = p.vid;
            final Set<String> owed = new TreeSet<>();
            p.deliveries.getOrDefault(v, List.of()).forEach(d -> owed.add(d.msg()));
            r.sends.values().forEach(s -> {
                if (s.p().equals(name) && v.equals(s.vid())) {
                    owed.add(s.msg());
                }
            });
            r.procs.forEach((qn, q) -> {
                final int at = q.installed.indexOf(v);
                if (qn.equals(name) || at < 0 || at + 1 >= q.installed.size()) {
                    return;
                }
                final Set<String> missing = new TreeSet<>(owed);
                q.deliveries.getOrDefault(v, List.of()).forEach(d -> missing.remove(d.msg()));
                if (!missing.isEmpty()) {
                    r.fail("X1", qn + " moved from " + v + " to " + q.installed.get(at + 1) + " without "
                        + TraceChecker.abbreviate(missing) + ", sent or delivered there by " + name + ", which left the group");
                }
            });
        });
    }

    /** X1: an incarnation some member moved on without never appears again in a later view of that lineage. */
    private void returningIncarnations() {
        final Map<List<String>, Long> removed = new HashMap<>();
        r.removedAt.forEach((key, epoch) -> removed.merge(List.of(key.get(0), r.root(key.get(1))), epoch,
            Math::min));
        final Set<List<String>> reported = new HashSet<>();
        for (final TraceEvent w : r.views.values()) {
            for (final String m : w.members()) {
                final List<String> key = List.of(m, r.root(w.vid()));
                final Long since = removed.get(key);
                if (since != null && TraceEvent.epochOf(w.vid()) > since && reported.add(key)) {
                    r.fail("X1", m + " was excluded (or left) by epoch " + since + " but is a member of the later "
                        + "view " + w.vid() + " as the same incarnation", w);
                }
            }
        }
    }

    /** S2: the live members of one final view hold the same application state. */
    private void finalStates() {
        final Map<String, Map<String, Long>> byView = new TreeMap<>();
        for (final TraceEvent f : r.finals) {
            if (f.vid() != null && r.proc(f.p()).live()) {
                byView.computeIfAbsent(f.vid(), k -> new TreeMap<>()).put(f.p(), f.value());
            }
        }
        byView.forEach((vid, digests) -> {
            if (new HashSet<>(digests.values()).size() > 1) {
                r.fail("S2", "the live members of " + vid + " end with different application states: " + digests);
            }
        });
    }
}
