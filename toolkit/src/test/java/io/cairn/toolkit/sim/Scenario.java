package io.cairn.toolkit.sim;

import io.cairn.testkit.sim.AppSimulator;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Recorder;
import io.cairn.toolkit.Scheduler;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * One seeded run of a toolkit block in the {@link AppSimulator}: N hosts join one group with the block; a workload
 * issues operations; faults strike at random points (loss, a minority partitioned away and healed, crashes of a
 * random member or of the block's key member — primary, leader, lock holder — restarted as a new process, graceful
 * leaves); then the network heals and the group settles. Every operation the blocks record lands in {@link #ops()},
 * in the order it happened, for the block's checker.
 *
 * @param <A> the application on each host
 */
public final class Scenario<A> {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Creates a host's application and joins its group. */
    public interface Factory<A> {
        /**
         * @param node      the host's node
         * @param scheduler the simulator's virtual-time scheduler
         * @param recorder  where the block records
         * @param join      overrides for {@code node.join} (the static member list)
         * @return the application
         */
        A create(io.cairn.api.Node node, Scheduler scheduler, Recorder recorder, Config join);
    }

    private final long seed;
    private final int n;
    private final AppSimulator<A> sim;
    private final Function<A, Block> block;
    private final List<Recorder.Op> ops = new ArrayList<>();
    private final Set<Integer> partitioned = new HashSet<>();
    private final Set<Integer> leaving = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param stack   the group's stack
     * @param n       members
     * @param seed    the seed
     * @param factory each host's application
     * @param block   the block of an application
     */
    public Scenario(final String stack, final int n, final long seed, final Factory<A> factory,
                    final Function<A, Block> block) {
        this.seed = seed;
        this.n = n;
        this.block = block;
        final Config join = ConfigFactory.parseString("cairn.stack.members = ["
            + java.util.stream.IntStream.range(0, n).mapToObj(i -> "m" + i).collect(Collectors.joining(", ")) + "]");
        final Scheduler[] scheduler = new Scheduler[1];
        final Recorder recorder = ops::add;
        @SuppressWarnings("unchecked") final AppSimulator<A>[] s = new AppSimulator[1];
        scheduler[0] = (delay, task) -> {
            s[0].schedule(delay, task);
            return Scheduler.Cancel.NONE;
        };
        this.sim = new AppSimulator<>(stack, n, seed, (node, host) -> factory.create(node, scheduler[0], recorder,
            join));
        s[0] = sim;
    }

    /** @return the simulator */
    public AppSimulator<A> sim() {
        return sim;
    }

    /** @return every recorded operation, in order */
    public List<Recorder.Op> ops() {
        return ops;
    }

    /**
     * @param host host
     * @return whether its block is in a view (so operations may be issued there)
     */
    public boolean ready(final int host) {
        return sim.alive(host) && block.apply(sim.app(host)).view() != null;
    }

    /** @return a random host whose block is in a view, or -1 */
    public int randomReady() {
        final SplittableRandom r = sim.random();
        for (int tries = 0; tries < 2 * n; tries++) {
            final int h = r.nextInt(n);
            if (ready(h)) {
                return h;
            }
        }
        return -1;
    }

    /**
     * Runs until every host's block is in one view of all {@code n} members.
     *
     * @param maxNs bound
     * @return whether it got there
     */
    public boolean awaitFormed(final long maxNs) {
        return sim.runUntil(this::formed, maxNs);
    }

    private boolean formed() {
        String id = null;
        for (int h = 0; h < n; h++) {
            if (!sim.alive(h)) {
                return false;
            }
            final io.cairn.api.View v = block.apply(sim.app(h)).view();
            if (v == null || v.size() != n || id != null && !id.equals(v.id().toString())) {
                return false;
            }
            id = v.id().toString();
        }
        return true;
    }

    /**
     * The run: forms the group, then for {@code workNs} calls {@code step} every {@code everyNs} while faults strike,
     * then heals and waits (up to 30 s) for the group to form again, then runs {@code tailNs} more for pending
     * operations to finish.
     *
     * @param workNs  length of the workload
     * @param everyNs period of the workload's steps
     * @param step    one step of the workload
     * @param target  the host the faults aim at half of the time (the block's key member), or null
     * @param tailNs  time after the group formed again
     */
    public void run(final long workNs, final long everyNs, final Runnable step, final IntSupplier target,
                    final long tailNs) {
        if (!awaitFormed(10_000 * MS)) {
            problems.add("the group did not form within 10 s");
            return;
        }
        final SplittableRandom r = sim.random();
        final long start = sim.now();
        if (r.nextBoolean()) {
            sim.conditions(LinkConditions.CLEAN.withLoss(r.nextDouble() * 0.05));
        }
        final int faults = 1 + r.nextInt(3);
        for (int i = 0; i < faults; i++) {
            final long at = (long) (workNs * (0.1 + 0.7 * r.nextDouble()));
            final int kind = r.nextInt(4);
            final long length = (200 + r.nextInt(1300)) * MS;
            final boolean aimed = target != null && r.nextBoolean();
            sim.schedule(at, () -> fault(kind, length, aimed ? target : null));
        }
        final Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (sim.now() - start < workNs) {
                step.run();
                sim.schedule(everyNs, tick[0]);
            }
        };
        sim.schedule(0, tick[0]);
        sim.runFor(workNs);
        sim.heal();
        sim.conditions(LinkConditions.CLEAN);
        for (int h = 0; h < n; h++) {
            if (!sim.alive(h)) {
                restart(h);
            }
        }
        partitioned.clear();
        leaving.clear();
        if (!awaitFormed(30_000 * MS)) {
            problems.add("the group did not form again within 30 s of the faults ending");
        }
        sim.runFor(tailNs);
    }

    /**
     * A host counts against the fault budget from the fault until it is back in a view: crashed, partitioned, left,
     * or restarted but not yet admitted. Faults stay within what the primary partition survives: at most (n - 1) / 2
     * hosts unavailable at once, so every view keeps a majority of its predecessor.
     */
    private boolean unavailable(final int h) {
        return !sim.alive(h) || partitioned.contains(h) || leaving.contains(h) || !ready(h);
    }

    /** Crashes a host, recording {@code crash} for its member (the checkers excuse a crashed member's last view). */
    public void crash(final int host) {
        if (sim.alive(host)) {
            ops.add(new Recorder.Op("sim", block.apply(sim.app(host)).group().self().toString(), "crash", "", "", -1,
                ""));
            sim.crash(host);
        }
    }

    /** Restarts a host as a new process (a running one is crashed first, and recorded so). */
    public void restart(final int host) {
        crash(host);
        sim.restart(host);
    }

    private void fault(final int kind, final long length, final IntSupplier target) {
        int unavailable = 0;
        for (int h = 0; h < n; h++) {
            unavailable += unavailable(h) ? 1 : 0;
        }
        if (unavailable + 1 > (n - 1) / 2) {
            return;
        }
        int h = target != null ? target.getAsInt() : sim.random().nextInt(n);
        if (h < 0 || unavailable(h)) {
            h = sim.random().nextInt(n);
        }
        if (unavailable(h)) {
            return;
        }
        final int host = h;
        switch (kind) {
            case 0, 1 -> {
                crash(host);
                sim.schedule(length, () -> restart(host));
            }
            case 2 -> {
                // A minority of one or more hosts (within the budget) cut off from the rest, then healed.
                final List<Integer> side = new ArrayList<>(List.of(host));
                final int more = sim.random().nextInt((n - 1) / 2 - unavailable);
                for (int k = 0; k < n && side.size() <= more; k++) {
                    if (k != host && !unavailable(k)) {
                        side.add(k);
                    }
                }
                partitioned.addAll(side);
                sim.partition(List.of(side));
                sim.schedule(length, () -> {
                    sim.heal();
                    partitioned.removeAll(side);
                });
            }
            default -> {
                sim.log().add("leave m" + host);
                leaving.add(host);
                block.apply(sim.app(host)).leave();
                sim.schedule(length, () -> {
                    leaving.remove(host);
                    restart(host);
                });
            }
        }
    }

    /**
     * @param violations what the block's checker found
     * @return a report naming the seed, what the run did and the violations, or null when there are none
     */
    public String report(final List<String> violations) {
        final List<String> all = new ArrayList<>(problems);
        all.addAll(violations);
        if (all.isEmpty()) {
            return null;
        }
        return "seed " + seed + " (replay: -Dcairn.toolkit.seed=" + seed + "), N = " + n + ", " + sim.stack()
            + "\n  run: " + sim.log() + "\n  violations:\n    " + String.join("\n    ",
            all.subList(0, Math.min(all.size(), 20)));
    }

    /**
     * Guards against a vacuous pass: a run whose workload achieved nothing checks nothing.
     *
     * @param op an operation the workload must have produced
     * @return a violation when no block recorded {@code op}, else none
     */
    public List<String> progress(final String op) {
        return ops.stream().anyMatch(o -> o.op().equals(op)) ? List.of()
            : List.of("P1 the workload made no progress: no '" + op + "' was recorded");
    }

    /** @return how many hosts */
    public int size() {
        return n;
    }

    /** Stops every node. */
    public void close() {
        sim.close();
    }

}
