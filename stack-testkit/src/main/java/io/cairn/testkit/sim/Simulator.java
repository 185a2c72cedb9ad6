package io.cairn.testkit.sim;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackSpec;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.ManualClock;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs N members of one stack in one thread with virtual time over a seeded {@link SimNetwork}, applies a
 * {@link FaultSchedule}, drives a workload of casts, records the trace and checks it. Everything random comes from
 * the seed: the same seed and schedule give a byte-identical trace.
 */
public final class Simulator {
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A workload held by one member's back-pressure longer than this ends the run (reported as FC1). */
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long GAUGE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Options o;
    private final StackSpec spec;
    private final ManualClock clock = new ManualClock();
    private final SimNetwork network;
    private final SimHosts hosts;
    /** The groups every host runs a stack of (one unless {@link Options#groups}). */
    private final List<SimGroup> groups;
    private final SplittableRandom random;
    private View staticView;
    private List<MemberId> seeds = List.of();

    private Simulator(final Options o) {
        this.o = o;
        // A stack with encrypt and no secret of its own runs with the test secret.
        this.spec = o.spec != null ? o.spec : io.cairn.testkit.TestSecret.load(o.stack);
        final Set<Property> transportProvides = o.transportProvides != null ? o.transportProvides
            : new StackAssembler().registry().transports().get(spec.transport()).provides();
        this.network = new SimNetwork(o.seed, o.maxFrameLength, transportProvides);
        this.random = new SplittableRandom(o.seed ^ 0x5DEECE66DL);
        this.hosts = new SimHosts(clock, o.members, o.groups, o.noRejoin, o.slow);
        this.groups = hosts.groups;
    }

    /** @return default options */
    public static Options options() {
        return new Options();
    }

    private TraceEvent.Mode mode() {
        if (o.mode != null) {
            return o.mode;
        }
        final Set<Property> p = spec.provides();
        return p.contains(Property.SAFE) ? TraceEvent.Mode.SAFE : p.contains(Property.TOTAL) ? TraceEvent.Mode.TOTAL
            : p.contains(Property.CAUSAL) ? TraceEvent.Mode.CAUSAL : p.contains(Property.FIFO) ? TraceEvent.Mode.FIFO
            : TraceEvent.Mode.RELIABLE;
    }

    private void start() {
        final List<MemberId> ids = new ArrayList<>();
        for (int i = 0; i < o.members; i++) {
            ids.add(new MemberId("m" + i, 0));
        }
        staticView = spec.hasMembership() ? null : View.initial(ids);
        seeds = List.copyOf(ids);
        for (final SimGroup g : groups) {
            for (int i = 0; i < o.members; i++) {
                g.members.add(newMember(g, ids.get(i), i, staticView));
            }
        }
        for (final SimGroup g : groups) {
            for (final SimMember m : g.members) {
                m.runtime().onStart();
            }
        }
    }

    private SimMember newMember(final SimGroup g, final MemberId id, final int index, final View view) {
        g.names.put(id.key(), id.toString());
        network.host(id.key(), index);
        final SimMember m = new SimMember(id, g.trace, mode(), k -> g.names.getOrDefault(k, "?" + k),
            clock::nanoTime, g.sentHashes);
        g.everyMember.add(m);
        final HostClock hostClock = hosts.clocks.get(index);
        final List<StackParams.LayerEntry> layers = new ArrayList<>();
        boolean probed = false;
        for (final StackSpec.LayerPlan p : spec.layers()) {
            final io.cairn.stack.spi.Layer layer = p.newLayer();
            if (!probed && layer.provides().contains(Property.SAFE)) {
                layers.add(new StackParams.LayerEntry("recv-probe", new RecvProbe(m::received), ConfigFactory.empty()));
                probed = true;
            }
            layers.add(new StackParams.LayerEntry(p.key(), layer, p.settings()));
        }
        // 4 MiB rings (largest payload 512 KiB): every incarnation's rings are zeroed direct memory, and 16 MiB ones
        // made page faults most of a run's cost at N = 9 with churn (a third of the time, measured in the soak).
        // Several groups start them small and grow them, as a node does.
        m.attach(new StackRuntime(new StackParams(g.name, id, layers, network.transport(), hostClock,
            o.seed * 31 + index + 1000L * id.incarnation() + 7919L * g.index, 1 << 22, 1 << 22, view, m, m, seeds,
            o.groups > 1 ? 1 << 16 : 0, false, hosts.peers.get(index))));
        final Long slow = hosts.slowRates.get(index);
        if (slow != null) {
            m.runtime().consumption().manual();
            m.consumeRate(slow);
        }
        return m;
    }

    /**
     * A process whose stack stopped for any reason but leaving (lost the primary partition, excluded, state
     * transfer interrupted) restarts as its next incarnation after
     * {@link Options#rejoinAfter}, as an application would: it joins again once it reaches the group.
     */
    private void rejoinExited(final long now) {
        for (final SimGroup g : groups) {
            for (int i = 0; i < g.members.size(); i++) {
                final SimMember m = g.members.get(i);
                final String why = m.exitReason();
                if (!m.crashed() && why != null && m.exitRejoin() && now - m.exitedAt() >= o.rejoinAfterNs
                    && !hosts.noRejoin.contains(i)) {
                    m.crash();
                    network.kill(g.groupId, m.id().key());
                    restart(g, i);
                }
            }
        }
    }

    /**
     * Restarts a crashed member, or one whose stack exited (left, excluded: a leave then a restart is a leave/join
     * cycle), as its next incarnation. With a membership layer it joins like any newcomer; in a static group it is
     * not in the others' view, so they reject its frames (as a real static group would).
     */
    private void restart(final SimGroup g, final int index) {
        final SimMember old = g.members.get(index);
        if (!old.crashed() && old.exitReason() == null) {
            return;
        }
        if (!old.crashed()) {
            old.runtime().stop();
        }
        network.kill(g.groupId, old.id().key());
        final MemberId next = old.id().nextIncarnation();
        View view = null;
        if (staticView != null) {
            final List<MemberId> ms = new ArrayList<>(staticView.members());
            ms.set(ms.indexOf(old.id()), next);
            view = new View(staticView.id(), ms, true);
        }
        final SimMember m = newMember(g, next, index, view);
        g.members.set(index, m);
        old.retire();
        m.runtime().onStart();
    }

    /**
     * Runs the whole simulation: workload, faults, quiescent tail, check.
     *
     * @return the result
     */
    public SimulationResult run() {
        final List<FaultSchedule.Action> actions = o.faults.actions();
        final boolean[] applied = new boolean[actions.size()];
        for (int i = 0; i < actions.size() && actions.get(i).atNs() == 0; i++) {
            // Settings of hosts at time 0 hold from the start, before any stack reads its clock.
            applied[i] = hosts.preStart(actions.get(i));
        }
        start();
        final long t0 = clock.nanoTime();
        final long sendsEnd = t0 + o.messages * o.sendIntervalNs;
        long quiet = Math.max(sendsEnd, t0 + lastActionNs());
        long end = quiet + o.settleNs;
        boolean healed = false;
        int nextAction = 0;
        long nextSend = t0;
        long nextGauge = t0;
        int sent = 0;
        long now = t0;
        long lastNow = t0;
        SimMember retry = null;
        SimGroup retryGroup = null;
        byte[] retryPayload = null;
        long retrySince = 0;
        while (now <= end) {
            if (retry != null && now - retrySince > STALL_NS) {
                // Back-pressure that never lifts would keep the workload, and the run, going for ever.
                retryGroup.trace.add(TraceEvent.gauge(now, retry.id().toString(), TraceEvent.CAST_STALLED_NS,
                    now - retrySince));
                break;
            }
            if (retry != null && now > quiet) {
                // Blocked applications push the end of the workload, and so the quiescent tail, later.
                quiet = now;
                end = quiet + o.settleNs;
            }
            while (nextAction < actions.size() && t0 + actions.get(nextAction).atNs() <= now) {
                if (!applied[nextAction]) {
                    apply(actions.get(nextAction));
                }
                nextAction++;
            }
            while (sent < o.messages && nextSend <= now) {
                // One group draws nothing for its choice, so a run of one group replays as it always did.
                final SimGroup g = retry != null ? retryGroup
                    : groups.get(groups.size() == 1 ? 0 : random.nextInt(groups.size()));
                final SimMember m = retry != null ? retry : g.members.get(random.nextInt(g.members.size()));
                byte[] payload = retryPayload;
                if (payload == null) {
                    payload = new byte[o.minPayload + random.nextInt(o.maxPayload - o.minPayload + 1)];
                    random.nextBytes(payload);
                    retrySince = now;
                }
                retry = null;
                retryPayload = null;
                if (m.runnable() && !m.cast(payload) && o.blockingCasts) {
                    // Back-pressure: this application waits until its stack takes the cast.
                    retry = m;
                    retryGroup = g;
                    retryPayload = payload;
                    // A blocked application does not build a backlog to burst out later.
                    nextSend = now;
                    break;
                }
                sent++;
                nextSend += o.sendIntervalNs;
            }
            for (final SimGroup g : groups) {
                for (final SimMember m : g.members) {
                    m.consume(now - lastNow);
                }
            }
            lastNow = now;
            if (!healed && now >= quiet) {
                // The quiescent tail Q of CORRECTNESS.md: every fault ends, liveness is judged at its end.
                healed = true;
                hosts.fault(TraceEvent.fault(now, "heal", TraceChecker.QUIESCENT_TAIL));
                network.healAll();
                groups.forEach(g -> g.members.forEach(m -> m.paused(false)));
            }
            runInstant(now);
            rejoinExited(now);
            if (now >= nextGauge) {
                groups.forEach(g -> g.members.stream().filter(SimMember::runnable).forEach(SimMember::sampleGauges));
                nextGauge += GAUGE_EVERY_NS;
            }
            long next = Math.min(now + STEP_NS, network.nextDelivery());
            if (sent < o.messages && retry == null) {
                next = Math.min(next, nextSend);
            }
            if (nextAction < actions.size()) {
                next = Math.min(next, t0 + actions.get(nextAction).atNs());
            }
            now = Math.max(next, now + 1);
            clock.set(now);
        }
        final boolean faultFree = o.faults.actions().stream().allMatch(a -> a.kind() == FaultSchedule.Kind.LINKS
            && a.links().loss() == 0 && a.links().duplicate() == 0 && a.links().reorder() == 0);
        final Set<String> props = o.properties != null ? o.properties : TraceChecker.propertiesFor(spec.provides());
        final List<CheckReport> reports = new ArrayList<>();
        for (final SimGroup g : groups) {
            g.everyMember.forEach(SimMember::recordEnd);
            reports.add(new TraceChecker(props, o.unackedBound, faultFree).check(g.trace.events()));
        }
        return new SimulationResult(o, spec, groups.get(0).trace, SimGroup.merge(reports), groups.get(0).members,
            network, groups.stream().map(g -> g.trace).toList());
    }

    private long lastActionNs() {
        final List<FaultSchedule.Action> a = o.faults.actions();
        return a.isEmpty() ? 0 : a.get(a.size() - 1).atNs();
    }

    /** Runs every member until nothing more happens at this instant (frames looped back at time now included). */
    private void runInstant(final long now) {
        for (int round = 0; round < 100; round++) {
            int work = network.deliverDue(now);
            for (final SimGroup g : groups) {
                for (final SimMember m : g.members) {
                    if (m.runnable()) {
                        for (int i = 0; i < 10_000; i++) {
                            final int w = m.runtime().doWork();
                            work += w;
                            if (w == 0) {
                                break;
                            }
                        }
                    }
                }
            }
            if (work == 0 && network.nextDelivery() > now) {
                return;
            }
        }
    }

    private void apply(final FaultSchedule.Action a) {
        hosts.record(a);
        if (hosts.apply(a, network)) {
            return;
        }
        switch (a.kind()) {
            case LINKS -> network.conditions(a.links());
            case LINK -> network.link(a.members().get(0), a.members().get(1), a.links());
            case PARTITION -> network.partition(a.sides());
            case HEAL -> network.heal();
            case RESTART -> groups.forEach(g -> restart(g, a.members().get(0)));
            case LOOPBACK -> network.loopback(a.members().get(0), a.links());
            case RESET -> network.reset(a.members().get(0), a.members().get(1), clock.nanoTime(), a.amount());
            case FORGE -> network.forge(a.members().get(0), (int) a.amount());
            case REPLAY -> network.replay(a.members().get(0), (int) a.amount());
            default -> throw new IllegalStateException(a.toString());
        }
    }

    /** What to simulate. */
    public static final class Options {
        String stack;
        StackSpec spec;
        int members = 3;
        int groups = 1;
        long seed = 1;
        int messages = 2000;
        int minPayload = 8;
        int maxPayload = 200;
        long sendIntervalNs = TimeUnit.MICROSECONDS.toNanos(500);
        long settleNs = TimeUnit.SECONDS.toNanos(5);
        FaultSchedule faults = FaultSchedule.none();
        Set<String> properties;
        long unackedBound = Long.MAX_VALUE;
        int maxFrameLength = 1500;
        long rejoinAfterNs = 500_000_000L;
        TraceEvent.Mode mode;
        final Map<Integer, Long> slow = new HashMap<>();
        final Set<Integer> noRejoin = new HashSet<>();
        Set<Property> transportProvides;
        boolean blockingCasts;
        String replayFaults;

        private Options() {
        }

        /**
         * @param name shipped stack name or file path
         * @return this
         */
        public Options stack(final String name) {
            this.stack = name;
            return this;
        }

        /**
         * @param s an assembled stack
         * @return this
         */
        public Options stack(final StackSpec s) {
            this.spec = s;
            this.stack = s.source();
            return this;
        }

        /**
         * @param n group size
         * @return this
         */
        public Options members(final int n) {
            this.members = n;
            return this;
        }

        /**
         * Runs several groups of the stack over the same hosts: each host is one process with a stack per group
         * sharing its clock and peer-liveness table (failure detection shared by a node's groups), and host
         * faults hit every group. Casts go to a random group; a leave is one group's. Each group's trace is
         * checked on its own.
         *
         * @param n groups (default 1)
         * @return this
         */
        public Options groups(final int n) {
            this.groups = Math.max(1, n);
            return this;
        }

        /**
         * @param s seed of everything random
         * @return this
         */
        public Options seed(final long s) {
            this.seed = s;
            return this;
        }

        /**
         * @param n casts in total, from randomly chosen members
         * @return this
         */
        public Options messages(final int n) {
            this.messages = n;
            return this;
        }

        /**
         * @param min smallest payload (at least 8)
         * @param max largest payload
         * @return this
         */
        public Options payload(final int min, final int max) {
            this.minPayload = Math.max(8, min);
            this.maxPayload = Math.max(this.minPayload, max);
            return this;
        }

        /**
         * @param ns virtual time between two casts
         * @return this
         */
        public Options sendInterval(final long ns) {
            this.sendIntervalNs = ns;
            return this;
        }

        /**
         * @param ns quiescent tail after the last cast and the last fault
         * @return this
         */
        public Options settle(final long ns) {
            this.settleNs = ns;
            return this;
        }

        /**
         * @param f faults
         * @return this
         */
        public Options faults(final FaultSchedule f) {
            this.faults = f;
            return this;
        }

        /**
         * @param props properties to check instead of those the stack promises
         * @return this
         */
        public Options check(final Set<String> props) {
            this.properties = Set.copyOf(props);
            return this;
        }

        /**
         * @param bytes FC1 bound
         * @return this
         */
        public Options unackedBound(final long bytes) {
            this.unackedBound = bytes;
            return this;
        }

        /**
         * @param bytes the simulated transport's largest frame
         * @return this
         */
        public Options maxFrameLength(final int bytes) {
            this.maxFrameLength = bytes;
            return this;
        }

        /**
         * @param ns how long a process that lost the primary partition waits before rejoining as a new incarnation
         * @return this
         */
        public Options rejoinAfter(final long ns) {
            this.rejoinAfterNs = ns;
            return this;
        }

        /**
         * Records casts with this mode instead of the strongest one the stack provides: lets a test check a
         * guarantee against a stack that does not promise it, to show the workload would expose its absence.
         *
         * @param m the mode
         * @return this
         */
        public Options mode(final TraceEvent.Mode m) {
            this.mode = m;
            return this;
        }

        /**
         * One member's application consumes its deliveries at this rate (F12); its stack sees the consumption.
         *
         * @param index          member index
         * @param bytesPerSecond payload bytes consumed per second of simulated time
         * @return this
         */
        public Options slowConsumer(final int index, final long bytesPerSecond) {
            this.slow.put(index, bytesPerSecond);
            return this;
        }

        /**
         * These members do not rejoin as a new incarnation when their stack exits asking to (lost the primary
         * partition, excluded); by default every member does, after {@link #rejoinAfter}.
         *
         * @param indexes member indexes
         * @return this
         */
        public Options noRejoin(final int... indexes) {
            for (final int i : indexes) {
                this.noRejoin.add(i);
            }
            return this;
        }

        /**
         * Emulates a transport with these guarantees instead of the stack's own (e.g. {@code reliable} and
         * {@code fifo} to run a test stack as over TCP: no loss, no reordering, connection resets).
         *
         * @param provides the transport's properties
         * @return this
         */
        public Options transportProvides(final Set<Property> provides) {
            this.transportProvides = Set.copyOf(provides);
            return this;
        }

        /**
         * Casts the stack does not take (back-pressure) are retried until taken, instead of being given up: the
         * workload of an application using the blocking {@code Group.cast}.
         *
         * @return this
         */
        public Options blockingCasts() {
            this.blockingCasts = true;
            return this;
        }

        /** @return the result of running these options */
        public SimulationResult run() {
            return new Simulator(this).run();
        }

        /** @return the command that replays this run */
        public String replayCommand() {
            final StringBuilder b = new StringBuilder("./cairn simulate --stack ").append(stack).append(" --members ")
                .append(members).append(groups > 1 ? " --groups " + groups : "").append(" --messages ")
                .append(messages).append(" --seed ").append(seed)
                .append(" --send-interval ").append(duration(sendIntervalNs)).append(" --max-payload ")
                .append(maxPayload).append(" --settle ").append(duration(settleNs));
            if (blockingCasts) {
                b.append(" --blocking-casts");
            }
            if (replayFaults != null) {
                b.append(' ').append(replayFaults);
            } else if (!faults.actions().isEmpty()) {
                b.append(" --faults FILE (FILE: the faults above, one per line)");
            }
            return b.append("   (in a test: -Dcairn.seed=").append(seed).append(')').toString();
        }

        /**
         * @param flags the {@code cairn simulate} flags that make the same faults (e.g. {@code --fault-row F20})
         * @return this
         */
        public Options replayFaultsAs(final String flags) {
            this.replayFaults = flags;
            return this;
        }

        private static String duration(final long ns) {
            if (ns % 1_000_000_000L == 0) {
                return ns / 1_000_000_000L + "s";
            }
            if (ns % 1_000_000L == 0) {
                return ns / 1_000_000L + "ms";
            }
            return ns % 1_000L == 0 ? ns / 1_000L + "us" : ns + "ns";
        }
    }
}
