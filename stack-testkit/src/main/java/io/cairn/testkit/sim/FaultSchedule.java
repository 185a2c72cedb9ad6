package io.cairn.testkit.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Faults to inject, in time order. Written by hand, read from a script ({@link FaultScript}), or generated from a
 * seed ({@link #random}, {@link FaultGenerator}, {@link FaultRows}); the minimiser shrinks one by removing actions.
 * Members are named by index (a host: a restarted incarnation keeps its index, its links, clock and loopback).
 *
 * @param actions the actions, sorted by time (actions at the same time keep their order)
 */
public record FaultSchedule(List<Action> actions) {
    /** Kinds of action; {@link #scriptName()} is the kind's word in a fault script. */
    public enum Kind {
        /** Set link conditions between every pair of members ({@code links}). */
        LINKS,
        /** Conditions of one directed link {@code members = [from, to]} ({@code links} null restores). */
        LINK,
        /**
         * Partition: {@code members} lists side 1 (by index); the rest form side 0. Further sides follow a
         * {@link #SIDE_SEPARATOR}, see {@link Action#sides()}.
         */
        PARTITION,
        /** Heal every partition. */
        HEAL,
        /** Crash member {@code members[0]}. */
        CRASH,
        /**
         * Restart member {@code members[0]} as a new incarnation (a new process with a fresh stack), after a crash
         * or after its stack exited (left, excluded): a leave followed by a restart is a leave/join cycle.
         */
        RESTART,
        /** Member {@code members[0]} leaves the group gracefully. */
        LEAVE,
        /** Pause member {@code members[0]} (it stops running; frames to it queue up). */
        PAUSE,
        /** Resume member {@code members[0]}. */
        RESUME,
        /**
         * Conditions of member {@code members[0]}'s own copies (loopback, F22); {@code links} null restores the
         * immediate, lossless loopback. Loss only on unreliable transports, delay on all.
         */
        LOOPBACK,
        /**
         * The connection between {@code members[0]} and {@code members[1]} breaks (F23): the frames in flight on it
         * in both directions are lost, and so is every frame sent over it for {@code amount} ns, after which it
         * reconnects. The stack is told nothing, as with the TCP and RDMA transports (see {@link SimNetwork#reset}).
         */
        RESET,
        /** Changes member {@code members[0]}'s clock ({@code clock}: offset, jump, rate; F11). */
        CLOCK,
        /** Member {@code members[0]} no longer rejoins as a new incarnation when its stack exits asking to. */
        NO_REJOIN,
        /** Member {@code members[0]}'s application consumes deliveries at {@code amount} bytes per second (F12). */
        SLOW_CONSUMER,
        /**
         * {@code amount} frames forged from frames captured on the links (spoofed sender, changed view, flags,
         * layer id or body, unsealed) are injected into member {@code members[0]} (F17).
         */
        FORGE,
        /** {@code amount} frames captured on the links earlier are injected again into member {@code members[0]} (F18). */
        REPLAY,
        /**
         * Member {@code members[0]}'s stack of one group hangs for good, silently (its thread is stuck in a listener
         * that never returns): it announces nothing and runs no more, while the process and its stacks of other
         * groups go on and frames still reach it. The groups of a run of several take turns, as with
         * {@link #LEAVE}. The group's trace records it as a crash.
         */
        HANG;

        /** @return the kind's word in a fault script, e.g. {@code slow-consumer} */
        public String scriptName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Separates the sides of a {@link Kind#PARTITION} in {@link Action#members()}. */
    public static final int SIDE_SEPARATOR = -1;

    /**
     * A change of one member's clock. The stack's clock reads {@code reading + rate x (simulator time elapsed since
     * the change)}; it is monotonic, so after a backward step it holds still until it passes the last value read.
     *
     * @param setsOffset whether the change sets the reading to simulator time + {@code offsetNs}
     * @param offsetNs   the new offset from simulator time (if {@code setsOffset})
     * @param jumpNs     then steps the reading by this much (negative: backwards)
     * @param rate       the clock's new rate (1 = simulator speed), or NaN to keep the current one
     */
    public record ClockChange(boolean setsOffset, long offsetNs, long jumpNs, double rate) {
        /** Checks the rate. */
        public ClockChange {
            if (!Double.isNaN(rate) && !(rate > 0 && rate <= 1000)) {
                throw new IllegalArgumentException("clock rate must be in (0, 1000]: " + rate);
            }
        }

        /**
         * @param ns offset from simulator time
         * @return a change setting only the offset
         */
        public static ClockChange offset(final long ns) {
            return new ClockChange(true, ns, 0, Double.NaN);
        }

        /**
         * @param ns step from the current reading
         * @return a change stepping the clock
         */
        public static ClockChange jump(final long ns) {
            return new ClockChange(false, 0, ns, Double.NaN);
        }

        /**
         * @param r new rate
         * @return a change setting only the rate
         */
        public static ClockChange rate(final double r) {
            return new ClockChange(false, 0, 0, r);
        }

        /**
         * @param r new rate
         * @return this change, also setting the rate
         */
        public ClockChange withRate(final double r) {
            return new ClockChange(setsOffset, offsetNs, jumpNs, r);
        }

        /**
         * @param ns step
         * @return this change, also stepping the clock
         */
        public ClockChange withJump(final long ns) {
            return new ClockChange(setsOffset, offsetNs, ns, rate);
        }

        @Override
        public String toString() {
            final StringBuilder b = new StringBuilder();
            if (setsOffset) {
                b.append(" offset=").append(FaultScript.duration(offsetNs));
            }
            if (jumpNs != 0) {
                b.append(" jump=").append(FaultScript.duration(jumpNs));
            }
            if (!Double.isNaN(rate)) {
                b.append(" rate=").append(FaultScript.number(rate));
            }
            return b.toString().trim();
        }
    }

    /**
     * One action. {@link #toString()} is its line in a fault script.
     *
     * @param atNs    virtual time from the start of the run
     * @param kind    what
     * @param members member indexes it concerns
     * @param links   link conditions for {@link Kind#LINKS}, {@link Kind#LINK} and {@link Kind#LOOPBACK}
     * @param amount  ns the link stays down for {@link Kind#RESET}; bytes per second for {@link Kind#SLOW_CONSUMER}
     * @param clock   the change for {@link Kind#CLOCK}
     */
    public record Action(long atNs, Kind kind, List<Integer> members, LinkConditions links, long amount,
                         ClockChange clock) {
        /** Copies the member list and checks what the new kinds need. */
        public Action {
            members = List.copyOf(members);
            if (atNs < 0) {
                throw new IllegalArgumentException("a fault's time must be >= 0: " + atNs);
            }
            switch (kind) {
                case RESET -> {
                    if (members.size() != 2 || members.get(0).equals(members.get(1)) || amount < 0) {
                        throw new IllegalArgumentException("reset needs two different members and a down time "
                            + ">= 0: " + members + " " + amount);
                    }
                }
                case CLOCK -> {
                    if (members.size() != 1 || clock == null) {
                        throw new IllegalArgumentException("clock needs one member and a change");
                    }
                }
                case SLOW_CONSUMER -> {
                    if (members.size() != 1 || amount <= 0) {
                        throw new IllegalArgumentException("slow-consumer needs one member and a rate > 0 B/s");
                    }
                }
                case FORGE, REPLAY -> {
                    if (members.size() != 1 || amount <= 0) {
                        throw new IllegalArgumentException(kind.scriptName() + " needs one member and a number of "
                            + "frames > 0");
                    }
                }
                case LOOPBACK, NO_REJOIN -> {
                    if (members.size() != 1) {
                        throw new IllegalArgumentException(kind.scriptName() + " needs one member");
                    }
                }
                default -> {
                }
            }
        }

        /**
         * An action of the kinds that existed first (no amount, no clock change).
         *
         * @param atNs    time
         * @param kind    kind
         * @param members member indexes
         * @param links   conditions or null
         */
        public Action(final long atNs, final Kind kind, final List<Integer> members, final LinkConditions links) {
            this(atNs, kind, members, links, 0, null);
        }

        /**
         * @param atNs time
         * @param c    conditions between every pair of members
         * @return the action
         */
        public static Action links(final long atNs, final LinkConditions c) {
            return new Action(atNs, Kind.LINKS, List.of(), c);
        }

        /**
         * One direction of one link: loss, duplication, reordering (unreliable transports) and delay (all).
         *
         * @param atNs time
         * @param from sender index
         * @param to   receiver index
         * @param c    conditions, or null to restore the network-wide ones
         * @return the action
         */
        public static Action link(final long atNs, final int from, final int to, final LinkConditions c) {
            return new Action(atNs, Kind.LINK, List.of(from, to), c);
        }

        /**
         * @param atNs  time
         * @param sides member indexes per side; unlisted members form one more side
         * @return the action
         */
        public static Action partition(final long atNs, final List<List<Integer>> sides) {
            final List<Integer> ms = new ArrayList<>();
            for (final List<Integer> side : sides) {
                if (!ms.isEmpty()) {
                    ms.add(SIDE_SEPARATOR);
                }
                ms.addAll(side);
            }
            return new Action(atNs, Kind.PARTITION, ms, null);
        }

        /**
         * @param atNs time
         * @return a heal of every partition
         */
        public static Action heal(final long atNs) {
            return new Action(atNs, Kind.HEAL, List.of(), null);
        }

        /**
         * An action on one member: {@link Kind#CRASH}, {@link Kind#RESTART}, {@link Kind#LEAVE},
         * {@link Kind#PAUSE}, {@link Kind#RESUME}, {@link Kind#NO_REJOIN}, {@link Kind#HANG}.
         *
         * @param atNs   time
         * @param kind   kind
         * @param member index
         * @return the action
         */
        public static Action on(final long atNs, final Kind kind, final int member) {
            return new Action(atNs, kind, List.of(member), null);
        }

        /**
         * @param atNs   time
         * @param member index
         * @param c      conditions of its own copies, or null to restore the immediate loopback
         * @return the action
         */
        public static Action loopback(final long atNs, final int member, final LinkConditions c) {
            return new Action(atNs, Kind.LOOPBACK, List.of(member), c);
        }

        /**
         * @param atNs   time
         * @param a      one end
         * @param b      the other end
         * @param downNs how long the link stays broken before it reconnects
         * @return the action
         */
        public static Action reset(final long atNs, final int a, final int b, final long downNs) {
            return new Action(atNs, Kind.RESET, List.of(a, b), null, downNs, null);
        }

        /**
         * @param atNs   time
         * @param member index
         * @param change the change
         * @return the action
         */
        public static Action clock(final long atNs, final int member, final ClockChange change) {
            return new Action(atNs, Kind.CLOCK, List.of(member), null, 0, change);
        }

        /**
         * @param atNs           time
         * @param member         index
         * @param bytesPerSecond consumption rate of its application from then on (and of its later incarnations)
         * @return the action
         */
        public static Action slowConsumer(final long atNs, final int member, final long bytesPerSecond) {
            return new Action(atNs, Kind.SLOW_CONSUMER, List.of(member), null, bytesPerSecond, null);
        }

        /**
         * @param atNs   time
         * @param kind   {@link Kind#FORGE} or {@link Kind#REPLAY}
         * @param member the target
         * @param frames how many frames
         * @return the action
         */
        public static Action inject(final long atNs, final Kind kind, final int member, final long frames) {
            return new Action(atNs, kind, List.of(member), null, frames, null);
        }

        /** @return the sides of a {@link Kind#PARTITION} (the members not listed form one more side) */
        public List<List<Integer>> sides() {
            final List<List<Integer>> out = new ArrayList<>();
            List<Integer> cur = new ArrayList<>();
            for (final int m : members) {
                if (m == SIDE_SEPARATOR) {
                    out.add(List.copyOf(cur));
                    cur = new ArrayList<>();
                } else {
                    cur.add(m);
                }
            }
            out.add(List.copyOf(cur));
            return out;
        }

        /** @return the action as a fault-script line, e.g. {@code 50ms link 0>1 delay=1.5s} */
        @Override
        public String toString() {
            final String k = kind.scriptName();
            final String t = FaultScript.duration(atNs);
            final String args = switch (kind) {
                case LINKS -> conditions(LinkConditions.CLEAN);
                case LINK -> members.get(0) + ">" + members.get(1) + " " + conditions(LinkConditions.CLEAN);
                case LOOPBACK -> members.get(0) + " " + conditions(LinkConditions.NONE);
                case PARTITION -> members.isEmpty() ? "none" : sides().stream().map(s -> s.stream().map(String::valueOf)
                    .collect(Collectors.joining(","))).collect(Collectors.joining(" | "));
                case HEAL -> "";
                case RESET -> members.get(0) + "-" + members.get(1) + " down=" + FaultScript.duration(amount);
                case CLOCK -> members.get(0) + " " + clock;
                case SLOW_CONSUMER -> members.get(0) + " " + amount + "B/s";
                case FORGE, REPLAY -> members.get(0) + " " + amount;
                default -> members.stream().map(String::valueOf).collect(Collectors.joining(" "));
            };
            return (t + " " + k + " " + args).trim();
        }

        private String conditions(final LinkConditions base) {
            if (links == null) {
                return "clear";
            }
            final String s = links.toScript(base);
            return s.isEmpty() ? "clean" : s;
        }
    }

    /** Sorts the actions. */
    public FaultSchedule {
        actions = actions.stream().sorted(Comparator.comparingLong(Action::atNs)).toList();
    }

    /** @return no faults */
    public static FaultSchedule none() {
        return new FaultSchedule(List.of());
    }

    /**
     * @param c conditions from time 0 for the whole run
     * @return a schedule with only those conditions
     */
    public static FaultSchedule links(final LinkConditions c) {
        return new FaultSchedule(List.of(new Action(0, Kind.LINKS, List.of(), c)));
    }

    /**
     * @param more actions to add
     * @return a schedule with both
     */
    public FaultSchedule plus(final List<Action> more) {
        final List<Action> all = new ArrayList<>(actions);
        all.addAll(more);
        return new FaultSchedule(all);
    }

    /**
     * A random schedule of partitions (each healed after 1–3 s), crashes and pauses, from a seed.
     *
     * @param seed       seed
     * @param members    group size
     * @param durationNs span of the faults
     * @param partitions number of partition/heal cycles
     * @param crashes    number of crashes (distinct members, never more than a minority)
     * @param pauses     number of pause/resume cycles
     * @return the schedule
     */
    public static FaultSchedule random(final long seed, final int members, final long durationNs,
                                       final int partitions, final int crashes, final int pauses) {
        final SplittableRandom r = new SplittableRandom(seed);
        final List<Action> out = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            final long at = r.nextLong(Math.max(1, durationNs));
            final List<Integer> sideOne = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                if (r.nextBoolean()) {
                    sideOne.add(m);
                }
            }
            out.add(new Action(at, Kind.PARTITION, sideOne, null));
            out.add(new Action(at + 1_000_000_000L + r.nextLong(2_000_000_000L), Kind.HEAL, List.of(), null));
        }
        final List<Integer> candidates = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            candidates.add(m);
        }
        for (int i = 0; i < Math.min(crashes, (members - 1) / 2); i++) {
            final int victim = candidates.remove(r.nextInt(candidates.size()));
            out.add(new Action(r.nextLong(Math.max(1, durationNs)), Kind.CRASH, List.of(victim), null));
        }
        for (int i = 0; i < pauses; i++) {
            final int m = r.nextInt(members);
            final long at = r.nextLong(Math.max(1, durationNs));
            out.add(new Action(at, Kind.PAUSE, List.of(m), null));
            out.add(new Action(at + 100_000_000L + r.nextLong(1_000_000_000L), Kind.RESUME, List.of(m), null));
        }
        return new FaultSchedule(out);
    }

    /** @return the schedule as a fault script ({@link FaultScript}), one action per line */
    public String toScript() {
        return actions.stream().map(Action::toString).collect(Collectors.joining("\n", "", actions.isEmpty() ? ""
            : "\n"));
    }

    @Override
    public String toString() {
        return actions.isEmpty() ? "[no faults]"
            : actions.stream().map(Action::toString).collect(Collectors.joining("; ", "[", "]"));
    }
}
