package io.cairn.toolkit.check;

import io.cairn.toolkit.Recorder.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The toolkit blocks' properties, judged on the operations the blocks recorded in one run (in the order they
 * happened: the simulator is single-threaded). Each method returns the violations it found, each naming the
 * operations involved; an empty list means the property held.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * The operations a non-uniform stack ({@code total}, not {@code safe-total}) is excused for, removed: those a
     * member recorded in its final view when it then crashed or exited for any reason but a graceful leave (excluded,
     * lost the primary partition). Such a member did not take part in the flush of that view, and a sequencer cut off from
     * the majority orders and delivers its own casts there, which the majority orders otherwise (the trace
     * checker's X1 rule, CORRECTNESS.md). Only uniform delivery prevents that; its checks pass every operation.
     *
     * @param ops the run's operations
     * @return the operations that count
     */
    public static List<Op> excuseNonUniform(final List<Op> ops) {
        final Map<String, Integer> lastView = new HashMap<>();
        final Set<Integer> excused = new java.util.HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            final Op o = ops.get(i);
            if (o.op().equals("view")) {
                lastView.put(o.member(), i);
            } else if (o.op().equals("crash") || o.op().equals("exit") && !o.value().startsWith("left")) {
                final Integer from = lastView.get(o.member());
                for (int k = from == null ? 0 : from + 1; k < i; k++) {
                    if (ops.get(k).member().equals(o.member())) {
                        excused.add(k);
                    }
                }
            }
        }
        final List<Op> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (!excused.contains(i)) {
                out.add(ops.get(i));
            }
        }
        return out;
    }

    /**
     * @param stack the stack the run used
     * @param ops   the run's operations
     * @return the operations its promise covers: all of them over a uniform stack ({@code safe-total}), else those
     *         {@link #excuseNonUniform} keeps
     */
    public static List<Op> judged(final String stack, final List<Op> ops) {
        return stack.equals("safe-total") ? ops : excuseNonUniform(ops);
    }

    /**
     * Splits a run into the lives of its group: a group that lost its primary partition entirely is founded anew,
     * in a founding view (one whose members all install it as their first), and what it decides or orders then
     * starts over. Each life is judged on its own; the first begins with the group's first founding.
     *
     * @param ops   the run's operations
     * @param check a property
     * @return its violations in every life
     */
    public static List<String> perLife(final List<Op> ops,
                                       final java.util.function.Function<List<Op>, List<String>> check) {
        final Set<String> seen = new java.util.HashSet<>();
        final Map<String, Boolean> founding = new HashMap<>();
        for (final Op o : ops) {
            if (o.op().equals("view")) {
                final boolean first = seen.add(o.member());
                founding.merge(o.view(), first, Boolean::logicalAnd);
            }
        }
        final List<String> out = new ArrayList<>();
        final Set<String> started = new java.util.HashSet<>();
        List<Op> life = new ArrayList<>();
        for (final Op o : ops) {
            if (o.op().equals("view") && founding.get(o.view()) && started.add(o.view()) && !life.isEmpty()) {
                out.addAll(check.apply(life));
                life = new ArrayList<>();
            }
            life.add(o);
        }
        out.addAll(check.apply(life));
        return out;
    }

    /**
     * Replicated state machine agreement: the command applied at an index is the same on every replica, and each
     * replica applies gap-free indices (from 1, or from the index of the snapshot it restored).
     *
     * @param ops the run's operations
     * @return violations
     */
    public static List<String> applyAgreement(final List<Op> ops) {
        final List<String> out = new ArrayList<>();
        final Map<Long, Op> first = new HashMap<>();
        final Map<String, Long> last = new HashMap<>();
        for (final Op o : ops) {
            if (o.op().equals("restore")) {
                last.put(o.member(), o.index());
            } else if (o.op().equals("apply")) {
                final Op f = first.putIfAbsent(o.index(), o);
                if (f != null && !(f.name().equals(o.name()) && f.value().equals(o.value()))) {
                    out.add("A1 two commands at index " + o.index() + ": " + f + " / " + o);
                }
                final Long prev = last.put(o.member(), o.index());
                if (prev != null && o.index() != prev + 1 || prev == null && o.index() != 1) {
                    out.add("A2 " + o.member() + " applied index " + o.index() + " after " + prev + ": " + o);
                }
            }
        }
        return out;
    }

    /**
     * The replicated map's history: every write is the same at its index everywhere; every read (local or
     * through the order) returns the latest write to its key at or before the index it read at; every put or remove
     * returns the value before it; a caller's later operation never reads an earlier index than its completed one.
     *
     * @param ops the run's operations
     * @return violations
     */
    public static List<String> mapHistory(final List<Op> ops) {
        final List<String> out = new ArrayList<>();
        final Map<Long, Op> writes = new HashMap<>();
        for (final Op o : ops) {
            if (o.op().equals("w")) {
                final Op f = writes.putIfAbsent(o.index(), o);
                if (f != null && !(f.name().equals(o.name()) && f.value().equals(o.value()))) {
                    out.add("M1 two writes at index " + o.index() + ": " + f + " / " + o);
                }
            }
        }
        final Map<String, Long> completedUpTo = new HashMap<>();
        final Map<String, Long> floor = new HashMap<>();
        for (final Op o : ops) {
            final String op = o.op();
            if (op.equals("invoke")) {
                floor.put(o.member() + o.value().split(" ")[0], completedUpTo.getOrDefault(o.member(), 0L));
                continue;
            }
            if (!(op.equals("get") || op.equals("syncGet") || op.equals("put") || op.equals("remove"))) {
                continue;
            }
            final String no = o.value().split(" ")[0];
            final Long min = floor.remove(o.member() + no);
            if (min != null && o.index() < min) {
                out.add("M3 " + o + " read index " + o.index() + " after the same caller completed index " + min);
            }
            completedUpTo.merge(o.member(), o.index(), Math::max);
            if (op.equals("get") || op.equals("syncGet")) {
                final String got = o.value().substring(o.value().indexOf('=') + 1);
                final String want = latest(writes, o.name(), o.index());
                if (want != null && !want.equals(got)) {
                    out.add("M2 " + o + " returned " + got + "; the latest write to " + o.name() + " at or before @"
                        + o.index() + " wrote " + want);
                }
            } else {
                final Op w = writes.get(o.index());
                if (w == null || !w.name().equals(o.name())) {
                    out.add("M1 " + o + " completed at @" + o.index() + ", where no replica applied a write to "
                        + o.name());
                }
                final String got = o.value().substring(o.value().indexOf("prev=") + 5);
                final String want = latest(writes, o.name(), o.index() - 1);
                if (want != null && !want.equals(got)) {
                    out.add("M2 " + o + " returned previous " + got + "; the write before @" + o.index() + " wrote "
                        + want);
                }
            }
        }
        return out;
    }

    /** The latest value written to {@code key} at or before {@code index}: "null" if none (null if unknown). */
    private static String latest(final Map<Long, Op> writes, final String key, final long index) {
        for (long i = index; i >= 1; i--) {
            final Op w = writes.get(i);
            if (w == null) {
                return null;
            }
            if (w.name().equals(key)) {
                return w.value();
            }
        }
        return "null";
    }

    /**
     * Locks: on every replica a lock is granted only when free and released only by its holder; a holder that
     * left the view is released at that view change before anything else; every replica grants the same lock to
     * the same member at the same point (index and view); a member is told it holds a lock only when it was granted;
     * and grants follow the order of requests (FIFO), on replicas that saw the queue built.
     *
     * @param ops the run's operations
     * @return violations
     */
    public static List<String> locks(final List<Op> ops) {
        final List<String> out = new ArrayList<>();
        final Map<String, Map<String, String>> holders = new HashMap<>();
        final Map<String, Set<String>> departed = new HashMap<>();
        final Map<String, Op> grants = new HashMap<>();
        // Per replica and lock, the queue of waiters as the order built it, when the replica saw it from the start.
        final Map<String, Map<String, List<String>>> queues = new HashMap<>();
        final Set<String> restored = new java.util.HashSet<>();
        for (final Op o : ops) {
            if (!o.block().equals("lock")) {
                continue;
            }
            final Map<String, List<String>> qs = queues.computeIfAbsent(o.member(), k -> new HashMap<>());
            final List<String> queue = qs.computeIfAbsent(o.name(), k -> new ArrayList<>());
            switch (o.op()) {
                case "queue" -> queue.add(o.value());
                case "cancel" -> queue.remove(o.value());
                case "grant" -> {
                    final boolean queued = queue.stream().anyMatch(w -> w.startsWith(o.value() + "/"));
                    if (queued && !restored.contains(o.member()) && !queue.get(0).startsWith(o.value() + "/")) {
                        out.add("L5 " + o + " out of turn: the queue was " + queue);
                    }
                }
                case "release" -> {
                    if (!queue.isEmpty() && queue.get(0).startsWith(o.value() + "/")) {
                        queue.remove(0);
                    }
                }
                case "view" -> {
                    final Set<String> in = Set.of(o.value().split(","));
                    for (final List<String> q : qs.values()) {
                        q.removeIf(w -> !in.contains(w.substring(0, w.lastIndexOf('/'))));
                    }
                }
                case "restore", "exit" -> {
                    // A replica that starts from a snapshot does not know the order of the waiters in it.
                    qs.clear();
                    restored.add(o.member());
                }
                default -> {
                }
            }
            final Map<String, String> h = holders.computeIfAbsent(o.member(), k -> new HashMap<>());
            final Set<String> gone = departed.computeIfAbsent(o.member(), k -> new TreeSet<>());
            switch (o.op()) {
                case "view" -> {
                    final Set<String> in = Set.of(o.value().split(","));
                    if (!gone.isEmpty()) {
                        out.add("L2 " + o.member() + " installed " + o.view() + " while " + gone + " still held");
                    }
                    h.forEach((lock, holder) -> {
                        if (!in.contains(holder)) {
                            gone.add(lock);
                        }
                    });
                }
                case "restore" -> {
                    h.clear();
                    gone.clear();
                }
                case "holder" -> h.put(o.name(), o.value());
                case "release" -> {
                    if (!o.value().equals(h.get(o.name()))) {
                        out.add("L1 " + o + " released a lock held by " + h.get(o.name()));
                    }
                    h.remove(o.name());
                    gone.remove(o.name());
                }
                case "grant" -> {
                    if (h.get(o.name()) != null) {
                        out.add("L1 " + o + " granted a lock held by " + h.get(o.name()));
                    }
                    h.put(o.name(), o.value());
                    final Op f = grants.putIfAbsent(o.name() + "@" + o.index() + "/" + o.view(), o);
                    if (f != null && !f.value().equals(o.value())) {
                        out.add("L3 replicas disagree: " + f + " / " + o);
                    }
                }
                case "acquired" -> {
                    if (!o.member().equals(h.get(o.name()))) {
                        out.add("L4 " + o + " but its replica's holder is " + h.get(o.name()));
                    }
                }
                case "exit" -> {
                    h.clear();
                    gone.clear();
                }
                default -> {
                }
            }
            // The view change's own releases and grants (lock by lock) come right after the view; anything else
            // before every departed holder's lock is released is a violation.
            if (!gone.isEmpty() && !Set.of("view", "release", "grant", "acquired").contains(o.op())) {
                out.add("L2 " + o + " happened while " + o.member() + "'s replica still had " + gone
                    + " held by members that left");
                gone.clear();
            }
        }
        return out;
    }

    /**
     * Leaders: every member names the oldest member of its view (none in a non-primary one); all members of a view
     * name the same leader; no two primary views of one epoch share a member; and each member's next primary view
     * keeps a majority of its previous one (views of the primary partition form one sequence).
     *
     * @param ops the run's operations
     * @return violations
     */
    public static List<String> leaders(final List<Op> ops) {
        final List<String> out = new ArrayList<>();
        final Map<String, String> viewOf = new HashMap<>();
        final Map<String, String> primaryOf = new HashMap<>();
        final Map<String, Op> byView = new HashMap<>();
        final Map<Long, Map<String, Set<String>>> epochs = new HashMap<>();
        for (final Op o : ops) {
            if (!o.block().equals("leader")) {
                continue;
            }
            if (o.op().equals("view")) {
                viewOf.put(o.member(), o.value());
            } else if (o.op().equals("leader")) {
                final String members = viewOf.get(o.member());
                final String prev = primaryOf.get(o.member());
                if (!o.value().equals("none") && members != null && prev != null) {
                    final Set<String> before = Set.of(prev.split(","));
                    final long kept = java.util.Arrays.stream(members.split(",")).filter(before::contains).count();
                    if (kept * 2 <= before.size()) {
                        out.add("LE4 " + o + ": its view [" + members + "] keeps " + kept + " of the " + before.size()
                            + " members of its previous primary view, not a majority");
                    }
                }
                if (!o.value().equals("none") && members != null) {
                    primaryOf.put(o.member(), members);
                }
                final String oldest = members == null ? null : members.split(",")[0];
                if (!o.value().equals("none") && !o.value().equals(oldest)) {
                    out.add("LE1 " + o + " but the oldest member of its view is " + oldest);
                }
                final Op f = byView.putIfAbsent(o.view(), o);
                if (f != null && !f.value().equals(o.value())) {
                    out.add("LE2 members of one view name different leaders: " + f + " / " + o);
                }
                if (!o.value().equals("none") && members != null) {
                    // Two primary views of one epoch sharing a member: two leaders at once in one group. (A group
                    // founded anew, after it lost its primary partition, restarts epochs with new incarnations.)
                    final Set<String> in = Set.of(members.split(","));
                    for (final Map.Entry<String, Set<String>> e : epochs.computeIfAbsent(o.index(), k -> new HashMap<>())
                        .entrySet()) {
                        if (!e.getKey().equals(o.view()) && e.getValue().stream().anyMatch(in::contains)) {
                            out.add("LE3 two primary views of epoch " + o.index() + " share members: " + e.getKey()
                                + " and " + o.view());
                        }
                    }
                    epochs.get(o.index()).put(o.view(), in);
                }
            }
        }
        return out;
    }

    /**
     * Requests: a completed request's replies come from distinct members that handled it, and meet its policy;
     * over a total-order stack, members handle requests in one order (crashed and cut-off members' last views
     * excused).
     *
     * @param ops   the run's operations, all of them
     * @param total whether the stack orders requests totally
     * @return violations
     */
    public static List<String> requests(final List<Op> ops, final boolean total) {
        final List<String> out = new ArrayList<>();
        final Map<String, Set<String>> handledBy = new HashMap<>();
        final Map<String, String> policy = new HashMap<>();
        final Map<String, List<String>> order = new LinkedHashMap<>();
        for (final Op o : ops) {
            if (!o.block().equals("requests")) {
                continue;
            }
            switch (o.op()) {
                case "request" -> policy.put(o.name(), o.value());
                case "handle" -> {
                    if (!handledBy.computeIfAbsent(o.name(), k -> new TreeSet<>()).add(o.member())) {
                        out.add("R1 " + o + " handled twice by one member");
                    }
                }
                case "complete" -> {
                    final String[] parts = o.value().split("\\|", -1);
                    final List<String> repliers = parts[0].isEmpty() ? List.of() : List.of(parts[0].split(","));
                    final long gone = parts.length == 3 ? Long.parseLong(parts[1]) + Long.parseLong(parts[2]) : 0;
                    final Set<String> handled = handledBy.getOrDefault(o.name(), Set.of());
                    if (new TreeSet<>(repliers).size() != repliers.size() || !handled.containsAll(repliers)) {
                        out.add("R2 " + o + ": replies from " + repliers + ", handled by " + handled);
                    }
                    final String p = Objects.requireNonNullElse(policy.get(o.name()), "?");
                    final long need = p.equals("first") ? 1 : p.equals("majority") ? o.index() / 2 + 1
                        : p.startsWith("atLeast(") ? Long.parseLong(p.substring(8, p.length() - 1))
                        : o.index() - gone; // all: every member of the view that neither departed nor declined
                    if (repliers.size() < need) {
                        out.add("R3 " + o + ": " + repliers.size() + " replies do not meet " + p + " of " + o.index());
                    }
                }
                default -> {
                }
            }
        }
        if (total) {
            // The order is judged without what a non-uniform stack excuses (a crashed or cut-off member's last view).
            order.clear();
            for (final Op o : excuseNonUniform(ops)) {
                if (o.block().equals("requests") && o.op().equals("handle")) {
                    order.computeIfAbsent(o.member(), k -> new ArrayList<>()).add(o.name());
                }
            }
            final List<List<String>> seqs = new ArrayList<>(order.values());
            final List<String> names = new ArrayList<>(order.keySet());
            for (int a = 0; a < seqs.size(); a++) {
                for (int b = a + 1; b < seqs.size(); b++) {
                    final String v = sameOrder(seqs.get(a), seqs.get(b));
                    if (v != null) {
                        out.add("R4 " + names.get(a) + " and " + names.get(b) + " handled " + v + " in different orders");
                    }
                }
            }
        }
        return out;
    }

    /**
     * Coordinator-cohort: at most one reply per request id at its requester, and only from a member that executed
     * it.
     *
     * @param ops the run's operations
     * @return violations
     */
    public static List<String> cohort(final List<Op> ops) {
        final List<String> out = new ArrayList<>();
        final Set<String> executed = new java.util.HashSet<>();
        final Map<String, Op> replies = new HashMap<>();
        for (final Op o : ops) {
            if (!o.block().equals("cohort")) {
                continue;
            }
            switch (o.op()) {
                case "execute" -> executed.add(o.name() + " by " + o.member());
                case "reply", "duplicate" -> {
                    final Op first = replies.putIfAbsent(o.name(), o);
                    if (first != null || o.op().equals("duplicate")) {
                        out.add("C1 two replies to " + o.name() + ": " + first + " / " + o);
                    }
                    if (!executed.contains(o.name() + " by " + o.value())) {
                        out.add("C2 " + o + ": a reply from " + o.value() + ", which did not execute it");
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /**
     * Consensus: every member decides the same value for an instance (agreement), and that value is some member's
     * input for it (validity).
     *
     * @param ops the run's operations (one life: see {@link #perLife})
     * @return violations
     */
    public static List<String> consensus(final List<Op> ops) {
        return consensus(ops, ops);
    }

    /**
     * Consensus, with the decisions that count chosen apart from the inputs: a non-uniform stack excuses a crashed or
     * cut-off member's last view for agreement, but that member's input still counts for validity.
     *
     * @param all     every operation (inputs)
     * @param counted the operations whose decisions are judged
     * @return violations
     */
    public static List<String> consensus(final List<Op> all, final List<Op> counted) {
        final List<String> out = new ArrayList<>();
        final Map<String, Set<String>> inputs = new HashMap<>();
        for (final Op o : all) {
            if (o.block().equals("consensus") && o.op().equals("input")) {
                inputs.computeIfAbsent(o.name(), k -> new TreeSet<>()).add(o.value());
            }
        }
        final Map<String, Op> decisions = new HashMap<>();
        for (final Op o : counted) {
            if (!o.block().equals("consensus") || !o.op().equals("decide")) {
                continue;
            }
            final Op first = decisions.putIfAbsent(o.name(), o);
            if (first != null && !first.value().equals(o.value())) {
                out.add("K1 two decisions for " + o.name() + ": " + first + " / " + o);
            }
            if (!inputs.getOrDefault(o.name(), Set.of()).contains(o.value())) {
                out.add("K2 " + o + ": no member input " + o.value() + " (inputs " + inputs.get(o.name()) + ")");
            }
        }
        return out;
    }

    /**
     * Snapshots: every completed cut is consistent (a message a member delivered before its cut was sent before its
     * sender's cut) and its channel states are exact (the messages from q in p's part are those q sent before its cut
     * that p delivered after its own).
     *
     * @param ops the run's operations
     * @return violations
     */
    public static List<String> snapshots(final List<Op> ops) {
        final List<String> out = new ArrayList<>();
        final Map<String, Integer> capturedAt = new HashMap<>();
        final Map<String, Integer> sentAt = new HashMap<>();
        final Map<String, List<Integer>> deliveries = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            final Op o = ops.get(i);
            if (!o.block().equals("snapshot")) {
                continue;
            }
            switch (o.op()) {
                case "capture" -> capturedAt.put(o.name() + " " + o.member(), i);
                case "send" -> sentAt.putIfAbsent(o.member() + " " + o.value(), i);
                case "deliver" -> deliveries.computeIfAbsent(o.member(), k -> new ArrayList<>()).add(i);
                default -> {
                }
            }
        }
        for (final Op o : ops) {
            if (!o.block().equals("snapshot")) {
                continue;
            }
            if (o.op().equals("channel")) {
                final String q = o.value().substring(0, o.value().indexOf('>'));
                final String p = o.value().substring(o.value().indexOf('>') + 1, o.value().indexOf(':'));
                final Integer pCut = capturedAt.get(o.name() + " " + p);
                final Integer qCut = capturedAt.get(o.name() + " " + q);
                if (pCut == null || qCut == null) {
                    out.add("SN2 " + o + ": a part of a member that took no cut");
                    continue;
                }
                final List<String> want = new ArrayList<>();
                for (final int i : deliveries.getOrDefault(p, List.of())) {
                    final Op x = ops.get(i);
                    final Integer sent = sentAt.get(q + " " + x.value());
                    if (i > pCut && x.name().equals(q) && sent != null && sent < qCut) {
                        want.add(x.value());
                    }
                }
                want.sort(null);
                final String got = o.value().substring(o.value().indexOf(':') + 1);
                if (!String.join(",", want).equals(got)) {
                    out.add("SN2 " + o + ": the channel should hold [" + String.join(",", want) + "]");
                }
            } else if (o.op().equals("cut")) {
                for (final Map.Entry<String, Integer> cut : capturedAt.entrySet()) {
                    if (!cut.getKey().startsWith(o.name() + " ")) {
                        continue;
                    }
                    final String p = cut.getKey().substring(o.name().length() + 1);
                    for (final int i : deliveries.getOrDefault(p, List.of())) {
                        final Op x = ops.get(i);
                        final Integer qCut = capturedAt.get(o.name() + " " + x.name());
                        final Integer sent = sentAt.get(x.name() + " " + x.value());
                        if (i < cut.getValue() && qCut != null && (sent == null || sent > qCut)) {
                            out.add("SN1 cut " + o.name() + " is inconsistent: " + p + " delivered " + x + " before its"
                                + " cut, which " + x.name() + " sent after its own");
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Null when the items both lists hold appear in the same relative order; else the first pair out of order. */
    static String sameOrder(final List<String> x, final List<String> y) {
        final Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < y.size(); i++) {
            pos.put(y.get(i), i);
        }
        int lastPos = -1;
        String lastItem = null;
        for (final String s : x) {
            final Integer p = pos.get(s);
            if (p == null) {
                continue;
            }
            if (p < lastPos) {
                return lastItem + " and " + s;
            }
            lastPos = p;
            lastItem = s;
        }
        return null;
    }
}
