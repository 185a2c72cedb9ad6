package io.cairn.testkit.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Faults to inject, in time order. Written by hand or generated from a seed; the minimiser shrinks one by
 * removing actions.
 *
 * @param actions the actions, sorted by time
 */
public record FaultSchedule(List<Action> actions) {
    /** Kinds of action. */
    public enum Kind {
        /** Set link conditions: {@code args} = [loss, dup, reorder, delayNs, jitterNs] as text. */
        LINKS,
        /** Conditions of one directed link {@code members = [from, to]} ({@code links} null restores). */
        LINK,
        /** Partition: {@code members} lists side 1 (by index); the rest form side 0. */
        PARTITION,
        /** Heal every partition. */
        HEAL,
        /** Crash member {@code members[0]}. */
        CRASH,
        /** Restart crashed member {@code members[0]} as a new incarnation (a new process with a fresh stack). */
        RESTART,
        /** Member {@code members[0]} leaves the group gracefully. */
        LEAVE,
        /** Pause member {@code members[0]} (it stops running; frames to it queue up). */
        PAUSE,
        /** Resume member {@code members[0]}. */
        RESUME
    }

    /**
     * One action.
     *
     * @param atNs    virtual time
     * @param kind    what
     * @param members member indexes it concerns
     * @param links   link conditions for {@link Kind#LINKS}
     */
    public record Action(long atNs, Kind kind, List<Integer> members, LinkConditions links) {
        /** Copies the member list. */
        public Action {
            members = List.copyOf(members);
        }

        @Override
        public String toString() {
            return String.format("%.3fs %s%s%s", atNs / 1e9, kind.name().toLowerCase(),
                members.isEmpty() ? "" : " " + members, links == null ? "" : " " + links);
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

    @Override
    public String toString() {
        return actions.isEmpty() ? "[no faults]"
            : actions.stream().map(Action::toString).collect(Collectors.joining("; ", "[", "]"));
    }
}
