package io.cairn.testkit.sim;

import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.ClockChange;
import io.cairn.testkit.sim.FaultSchedule.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random fault schedules from a seed, mixing the faults of CORRECTNESS.md F06 and F10–F25: partitions both shorter
 * and longer than the failure detector's timeout, one-way slow links beyond it, asymmetric loss bursts, lossy or slow
 * loopback, clock offsets and rates, connection resets, crash/restart pairs and graceful leaves of any member
 * (member 0, the founder, coordinator and sequencer, included). At no time are more than a minority of the members
 * crashed or gone. Times are whole milliseconds, so a schedule prints as a readable script
 * ({@link FaultSchedule#toScript()}). The same seed and settings give the same schedule.
 *
 * <pre>
 * FaultSchedule s = FaultGenerator.of(seed, 5, 3_000_000_000L).partitions(2).slowLinks(1).resets(2).generate();
 * </pre>
 * Loss (links and loopback) has no effect on a transport that provides {@code reliable}; delays and resets do.
 * {@link FaultRows} names the combinations of the fault matrix.
 */
public final class FaultGenerator {
    /**
     * The failure detector's bound with the shipped defaults ({@code layers/.../heartbeat/heartbeat.conf}:
     * timeout 1s, probes 2, probe-interval 100ms): timeout + (probes + 1) x probe-interval = 1.3 s.
     */
    public static final long DEFAULT_FD_TIMEOUT_NS = 1_300_000_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    /** Largest clock offset from simulator time (Jepsen's clock nemesis bumps by up to 288 s). */
    private static final long MAX_OFFSET_NS = 288 * S;

    private final long seed;
    private final int members;
    private final long spanNs;
    private long fdTimeoutNs = DEFAULT_FD_TIMEOUT_NS;
    private int partitions;
    private int slowLinks;
    private int lossBursts;
    private int lossyLoopbacks;
    private int clockSkews;
    private int resets;
    private int crashRestarts;
    private int leaves;
    private int hangs;
    private boolean coordinatorLeaves;
    private boolean rejoinAfterLeave;
    private long slowConsumerRate;
    private int forgeries;
    private int replays;

    private record Down(int member, long from, long to) {
    }

    private FaultGenerator(final long seed, final int members, final long spanNs) {
        if (members < 1 || spanNs < 1) {
            throw new IllegalArgumentException("need at least one member and a span > 0");
        }
        this.seed = seed;
        this.members = members;
        this.spanNs = spanNs;
    }

    /**
     * @param seed    seed of every choice
     * @param members group size
     * @param spanNs  faults start within [0, spanNs) (the workload's length); they may end later
     * @return a generator of no faults until told which
     */
    public static FaultGenerator of(final long seed, final int members, final long spanNs) {
        return new FaultGenerator(seed, members, spanNs);
    }

    /**
     * @param ns the stack's failure-detection bound, to place partitions and slow links on both sides of it
     * @return this
     */
    public FaultGenerator fdTimeout(final long ns) {
        this.fdTimeoutNs = ns;
        return this;
    }

    /**
     * @param n partition/heal cycles, one after another, each 0.2–0.7 or 1.5–3 x the FD timeout long (half each),
     *          isolating one member, a minority, random halves, or three ways
     * @return this
     */
    public FaultGenerator partitions(final int n) {
        this.partitions = n;
        return this;
    }

    /**
     * @param n one direction of a link delayed by 1.2–2.5 x the FD timeout for 0.3–2 s (F20)
     * @return this
     */
    public FaultGenerator slowLinks(final int n) {
        this.slowLinks = n;
        return this;
    }

    /**
     * @param n windows of 0.2–5 s in which 1–3 directed links drop 50–100 % of their frames (F21)
     * @return this
     */
    public FaultGenerator lossBursts(final int n) {
        this.lossBursts = n;
        return this;
    }

    /**
     * @param n windows of 0.5–3 s in which a member's own copies are lost (10–90 %) and delayed (0–5 ms) (F22)
     * @return this
     */
    public FaultGenerator lossyLoopbacks(final int n) {
        this.lossyLoopbacks = n;
        return this;
    }

    /**
     * @param n members whose clock starts up to ±288 s off at a rate of 0.9–1.1, then changes rate and steps by up
     *          to ±100 ms once during the run (F11)
     * @return this
     */
    public FaultGenerator clockSkews(final int n) {
        this.clockSkews = n;
        return this;
    }

    /**
     * @param n connection resets, each down for 100 ms – 1 s (F23)
     * @return this
     */
    public FaultGenerator resets(final int n) {
        this.resets = n;
        return this;
    }

    /**
     * @param n crashes, each followed by a restart 0.3–3 x the FD timeout later
     * @return this
     */
    public FaultGenerator crashRestarts(final int n) {
        this.crashRestarts = n;
        return this;
    }

    /**
     * @param n stacks that hang silently for good (one group's, while the process lives on); in half of them the
     *          operator kills and restarts the process 3–5 detector timeouts later
     * @return this
     */
    public FaultGenerator hangs(final int n) {
        this.hangs = n;
        return this;
    }

    /**
     * @param n graceful leaves of any member (F24)
     * @return this
     */
    public FaultGenerator leaves(final int n) {
        this.leaves = n;
        return this;
    }

    /**
     * @param first whether the first leave is member 0's (founder, coordinator, sequencer)
     * @return this
     */
    public FaultGenerator coordinatorLeaves(final boolean first) {
        this.coordinatorLeaves = first;
        return this;
    }

    /**
     * @param rejoin whether a member that left comes back as a new incarnation 0.5–3 s later (leave/join cycles)
     * @return this
     */
    public FaultGenerator rejoinAfterLeave(final boolean rejoin) {
        this.rejoinAfterLeave = rejoin;
        return this;
    }

    /**
     * @param bytesPerSecond one member's application consumes at this rate from the start (F12, F25); 0 for none
     * @return this
     */
    public FaultGenerator slowConsumer(final long bytesPerSecond) {
        this.slowConsumerRate = bytesPerSecond;
        return this;
    }

    /**
     * @param n bursts of 10–50 forged frames injected into a random member at random times (F17)
     * @return this
     */
    public FaultGenerator forgeries(final int n) {
        this.forgeries = n;
        return this;
    }

    /**
     * @param n bursts of 10–50 captured frames injected again into a random member at random times (F18)
     * @return this
     */
    public FaultGenerator replays(final int n) {
        this.replays = n;
        return this;
    }

    /** @return the schedule */
    public FaultSchedule generate() {
        final SplittableRandom r = new SplittableRandom(seed);
        final List<Action> out = new ArrayList<>();
        final Map<Long, List<long[]>> busyLinks = new HashMap<>();
        final List<Down> down = new ArrayList<>();
        clocks(r, out);
        if (slowConsumerRate > 0) {
            out.add(Action.slowConsumer(0, r.nextInt(members), slowConsumerRate));
        }
        partitions(r, out);
        if (members >= 2) {
            for (int i = 0; i < slowLinks; i++) {
                final long at = ms(r.nextLong(spanNs));
                final long until = at + between(r, 300 * MS, 2 * S);
                final long delay = between(r, fdTimeoutNs * 12 / 10, fdTimeoutNs * 25 / 10);
                final int[] link = freeLink(r, busyLinks, at, until);
                if (link != null) {
                    out.add(Action.link(at, link[0], link[1], LinkConditions.delayed(delay)));
                    out.add(Action.link(until, link[0], link[1], null));
                }
            }
            for (int i = 0; i < lossBursts; i++) {
                final long at = ms(r.nextLong(spanNs));
                final long until = at + between(r, 200 * MS, 5 * S);
                final double loss = (50 + r.nextInt(51)) / 100.0;
                final int links = 1 + r.nextInt(Math.min(3, members * (members - 1)));
                for (int k = 0; k < links; k++) {
                    final int[] link = freeLink(r, busyLinks, at, until);
                    if (link != null) {
                        out.add(Action.link(at, link[0], link[1], LinkConditions.lossy(loss)));
                        out.add(Action.link(until, link[0], link[1], null));
                    }
                }
            }
        }
        for (int i = 0; i < lossyLoopbacks; i++) {
            final int m = r.nextInt(members);
            final long at = ms(r.nextLong(spanNs));
            final double loss = (10 + r.nextInt(81)) / 100.0;
            out.add(Action.loopback(at, m, LinkConditions.loopback(loss, r.nextInt(6) * MS)));
            out.add(Action.loopback(at + between(r, 500 * MS, 3 * S), m, null));
        }
        for (int i = 0; i < resets && members >= 2; i++) {
            final int a = r.nextInt(members);
            final int b = (a + 1 + r.nextInt(members - 1)) % members;
            out.add(Action.reset(ms(r.nextLong(spanNs)), a, b, between(r, 100 * MS, S)));
        }
        for (int i = 0; i < crashRestarts; i++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                final int m = r.nextInt(members);
                final long at = ms(r.nextLong(spanNs));
                final long back = at + between(r, fdTimeoutNs * 3 / 10, fdTimeoutNs * 3);
                if (mayGoDown(down, m, at, back)) {
                    down.add(new Down(m, at, back));
                    out.add(Action.on(at, Kind.CRASH, m));
                    out.add(Action.on(back, Kind.RESTART, m));
                    break;
                }
            }
        }
        for (int i = 0; i < leaves; i++) {
            for (int attempt = 0; attempt < 30; attempt++) {
                final int m = i == 0 && coordinatorLeaves ? 0 : r.nextInt(members);
                final long at = ms(r.nextLong(spanNs));
                final long back = rejoinAfterLeave ? at + between(r, 500 * MS, 3 * S) : Long.MAX_VALUE;
                if (mayGoDown(down, m, at, back)) {
                    down.add(new Down(m, at, back));
                    out.add(Action.on(at, Kind.LEAVE, m));
                    if (rejoinAfterLeave) {
                        out.add(Action.on(back, Kind.RESTART, m));
                    }
                    break;
                }
            }
        }
        for (int i = 0; i < hangs; i++) {
            for (int attempt = 0; attempt < 30; attempt++) {
                final int m = r.nextInt(members);
                final long at = ms(r.nextLong(spanNs));
                final long back = r.nextBoolean() ? at + between(r, fdTimeoutNs * 3, fdTimeoutNs * 5) : Long.MAX_VALUE;
                if (mayGoDown(down, m, at, back)) {
                    down.add(new Down(m, at, back));
                    out.add(Action.on(at, Kind.HANG, m));
                    if (back != Long.MAX_VALUE) {
                        // The operator kills the wedged process and starts it again (a node cannot close a
                        // stack whose thread is stuck).
                        out.add(Action.on(back, Kind.CRASH, m));
                        out.add(Action.on(back, Kind.RESTART, m));
                    }
                    break;
                }
            }
        }
        // Last, so that a row without them draws exactly what it drew before they existed.
        for (int i = 0; i < forgeries + replays; i++) {
            out.add(Action.inject(ms(r.nextLong(spanNs + 2 * S)), i < forgeries ? Kind.FORGE : Kind.REPLAY,
                r.nextInt(members), 10 + r.nextInt(41)));
        }
        return new FaultSchedule(out);
    }

    private void clocks(final SplittableRandom r, final List<Action> out) {
        final List<Integer> candidates = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            candidates.add(m);
        }
        for (int i = 0; i < Math.min(clockSkews, members); i++) {
            final int m = candidates.remove(r.nextInt(candidates.size()));
            out.add(Action.clock(0, m, ClockChange.offset(ms(between(r, -MAX_OFFSET_NS, MAX_OFFSET_NS)))
                .withRate(rate(r))));
            out.add(Action.clock(ms(r.nextLong(spanNs)), m, ClockChange.rate(rate(r))
                .withJump((r.nextInt(201) - 100) * MS)));
        }
    }

    private static double rate(final SplittableRandom r) {
        return (900 + r.nextInt(201)) / 1000.0;
    }

    private void partitions(final SplittableRandom r, final List<Action> out) {
        if (members < 2 || partitions == 0) {
            return;
        }
        long at = ms(r.nextLong(Math.max(1, spanNs / (partitions + 1))));
        for (int i = 0; i < partitions; i++) {
            final long length = r.nextBoolean() ? between(r, fdTimeoutNs * 2 / 10, fdTimeoutNs * 7 / 10)
                : between(r, fdTimeoutNs * 15 / 10, fdTimeoutNs * 3);
            out.add(Action.partition(at, sides(r)));
            out.add(Action.heal(at + ms(length)));
            at += ms(length) + between(r, 200 * MS, S);
        }
    }

    /** One member alone, a random minority, random halves, or (5 members or more) three sides. */
    private List<List<Integer>> sides(final SplittableRandom r) {
        final List<Integer> shuffled = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            shuffled.add(r.nextInt(shuffled.size() + 1), m);
        }
        final int shape = r.nextInt(members >= 5 ? 4 : 3);
        final int first = switch (shape) {
            case 0 -> 1;
            case 1 -> 1 + r.nextInt(Math.max(1, (members - 1) / 2));
            default -> members / 2;
        };
        final List<List<Integer>> sides = new ArrayList<>();
        sides.add(sorted(shuffled.subList(0, first)));
        if (shape == 3) {
            final int second = first + 1 + r.nextInt(Math.max(1, members - first - 1));
            sides.add(sorted(shuffled.subList(first, Math.min(second, members - 1))));
        }
        return sides;
    }

    private static List<Integer> sorted(final List<Integer> l) {
        return l.stream().sorted().toList();
    }

    /** A directed link with no other override in [from, to), or null after a few tries. */
    private int[] freeLink(final SplittableRandom r, final Map<Long, List<long[]>> busy, final long from,
                           final long to) {
        for (int attempt = 0; attempt < 10; attempt++) {
            final int a = r.nextInt(members);
            final int b = (a + 1 + r.nextInt(members - 1)) % members;
            final List<long[]> windows = busy.computeIfAbsent((long) a * members + b, k -> new ArrayList<>());
            if (windows.stream().noneMatch(w -> w[0] <= to && from <= w[1])) {
                windows.add(new long[] {from, to});
                return new int[] {a, b};
            }
        }
        return null;
    }

    /** Whether member m may be crashed or gone in [from, to) with never more than a minority down at once. */
    private boolean mayGoDown(final List<Down> down, final int m, final long from, final long to) {
        final int minority = (members - 1) / 2;
        if (minority == 0) {
            return false;
        }
        // Closed intervals: a restart and another crash at the same millisecond count as overlapping.
        final List<Down> overlapping = down.stream().filter(d -> d.from <= to && from <= d.to).toList();
        if (overlapping.stream().anyMatch(d -> d.member == m)) {
            return false;
        }
        final List<Long> points = new ArrayList<>(List.of(from));
        overlapping.forEach(d -> points.add(Math.max(from, d.from)));
        for (final long p : points) {
            final long concurrent = overlapping.stream().filter(d -> d.from <= p && p <= d.to).count();
            if (concurrent + 1 > minority) {
                return false;
            }
        }
        return true;
    }

    /** A time in [lo, hi], in whole milliseconds. */
    private static long between(final SplittableRandom r, final long lo, final long hi) {
        return ms(hi <= lo ? lo : lo + r.nextLong(hi - lo + 1));
    }

    private static long ms(final long ns) {
        return Math.floorDiv(ns, MS) * MS;
    }
}
