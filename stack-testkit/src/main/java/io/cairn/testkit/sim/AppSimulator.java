package io.cairn.testkit.sim;

import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.stack.runtime.ThreadingMode;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackSpec;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.ManualClock;
import com.typesafe.config.ConfigFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs N applications written on the public API ({@link Node}, {@code Group}) in one thread with virtual time over
 * a seeded {@link SimNetwork}: the simulator for code above the stack, such as the toolkit's blocks, which the
 * {@link Simulator} (stacks driven through the SPI) cannot host. Each host runs one {@link Node} in
 * {@link ThreadingMode#INVOKER} mode on the simulator's clock and network; the application factory joins whatever
 * groups it needs on it. Faults are applied by the test through {@link #crash}, {@link #restart}, {@link #partition},
 * {@link #heal} and {@link #conditions}; time advances only in {@link #runFor} and {@link #runUntil}, so everything
 * (including timers scheduled with {@link #schedule}) is a function of the seed.
 *
 * @param <A> the application handle the factory returns
 */
public final class AppSimulator<A> {
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Incarnations whose keys are placed on their host up front (a rejoin creates the next one by itself). */
    private static final int INCARNATIONS = 64;

    /** Starts one host's application on its node. */
    @FunctionalInterface
    public interface AppFactory<A> {
        /**
         * @param node the host's node (INVOKER mode, simulated clock and network)
         * @param host the host index
         * @return the application
         */
        A start(Node node, int host);
    }

    private final String stack;
    private final long seed;
    private final AppFactory<A> factory;
    private final ManualClock clock = new ManualClock();
    private final SimNetwork network;
    private final String transportName;
    private final List<Node> nodes = new ArrayList<>();
    private final List<A> apps = new ArrayList<>();
    private final List<Integer> incarnations = new ArrayList<>();
    private final List<Boolean> crashed = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final SplittableRandom random;
    private final List<String> log = new ArrayList<>();
    private long timerSeq;

    private record Timer(long at, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(final Timer o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    /**
     * @param stack   shipped stack name or file
     * @param members number of hosts
     * @param seed    seed of the network, the nodes and {@link #random()}
     * @param factory starts each host's application
     */
    public AppSimulator(final String stack, final int members, final long seed, final AppFactory<A> factory) {
        this.stack = stack;
        this.seed = seed;
        this.factory = factory;
        final StackSpec spec = new StackAssembler().load(stack, ConfigFactory.empty());
        this.transportName = spec.transport();
        final Set<Property> provides = new StackAssembler().registry().transports().get(transportName).provides();
        this.network = new SimNetwork(seed, 1500, provides);
        this.random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        clock.set(TimeUnit.SECONDS.toNanos(1));
        for (int i = 0; i < members; i++) {
            for (int inc = 0; inc < INCARNATIONS; inc++) {
                network.host(new MemberId("m" + i, inc).key(), i);
            }
            nodes.add(null);
            apps.add(null);
            incarnations.add(0);
            crashed.add(false);
        }
        for (int i = 0; i < members; i++) {
            startHost(i);
        }
    }

    private void startHost(final int host) {
        final Node node = Node.builder().name("m" + host).incarnation(incarnations.get(host))
            .threading(ThreadingMode.INVOKER).clock(clock).seed(seed * 31 + host)
            .config(ConfigFactory.parseString("cairn.runtime.inbound-ring-size = 1M\n"
                + "cairn.runtime.command-ring-size = 1M"))
            .transport(transportName, network.transport()).build();
        nodes.set(host, node);
        crashed.set(host, false);
        apps.set(host, factory.start(node, host));
    }

    /** @return the stack the hosts run */
    public String stack() {
        return stack;
    }

    /** @return the number of hosts */
    public int size() {
        return nodes.size();
    }

    /** @return virtual time, in nanoseconds */
    public long now() {
        return clock.nanoTime();
    }

    /** @return the seeded random source for the test's workload and faults */
    public SplittableRandom random() {
        return random;
    }

    /**
     * @param host host index
     * @return its current application (the restarted one after {@link #restart})
     */
    public A app(final int host) {
        return apps.get(host);
    }

    /**
     * @param host host index
     * @return its current node
     */
    public Node node(final int host) {
        return nodes.get(host);
    }

    /**
     * @param host host index
     * @return whether it runs (not crashed)
     */
    public boolean alive(final int host) {
        return !crashed.get(host);
    }

    /** @return what the test did to the network and the hosts, with times, for failure messages */
    public List<String> log() {
        return log;
    }

    /** @return the simulated network (counters, per-link conditions) */
    public SimNetwork network() {
        return network;
    }

    /**
     * Kills a host's process: its node stops without leaving, its frames in flight are lost.
     *
     * @param host host index
     */
    public void crash(final int host) {
        if (crashed.get(host)) {
            return;
        }
        note("crash m" + host);
        crashed.set(host, true);
        final Node node = nodes.get(host);
        for (int inc = 0; inc < INCARNATIONS; inc++) {
            network.kill(new MemberId("m" + host, inc).key());
        }
        node.close();
    }

    /**
     * Restarts a crashed host as a fresh process (a new node with a higher incarnation) running a new application.
     *
     * @param host host index
     */
    public void restart(final int host) {
        crash(host);
        note("restart m" + host);
        incarnations.set(host, incarnations.get(host) + INCARNATIONS / 8);
        startHost(host);
    }

    /**
     * Splits the hosts into sides (hosts not listed form one more side).
     *
     * @param sides host indexes per side
     */
    public void partition(final List<List<Integer>> sides) {
        note("partition " + sides);
        network.partition(sides);
    }

    /** Ends every partition and every per-link condition; network-wide conditions return to clean. */
    public void heal() {
        note("heal");
        network.healAll();
    }

    /**
     * @param c network-wide link conditions from now on (loss, delay, duplication, reordering)
     */
    public void conditions(final LinkConditions c) {
        note("conditions " + c);
        network.conditions(c);
    }

    /**
     * Runs a task at a virtual time, in the simulator's thread (a timer for the application, such as a request
     * time-out).
     *
     * @param delayNs from now
     * @param task    what to run
     */
    public void schedule(final long delayNs, final Runnable task) {
        timers.add(new Timer(now() + Math.max(0, delayNs), timerSeq++, task));
    }

    /**
     * Advances virtual time by {@code ns}, running every host.
     *
     * @param ns how long
     */
    public void runFor(final long ns) {
        final long end = now() + ns;
        runUntil(() -> false, end);
    }

    /**
     * Runs until the condition holds (checked after every instant) or {@code maxNs} of virtual time passed.
     *
     * @param condition what to wait for
     * @param maxNs     the bound
     * @return whether the condition holds
     */
    public boolean runUntil(final BooleanSupplier condition, final long maxNs) {
        return runUntilTime(condition, now() + maxNs);
    }

    private boolean runUntilTime(final BooleanSupplier condition, final long end) {
        long now = now();
        while (true) {
            runInstant(now);
            if (condition.getAsBoolean()) {
                return true;
            }
            if (now >= end) {
                return false;
            }
            long next = Math.min(now + STEP_NS, network.nextDelivery());
            if (!timers.isEmpty()) {
                next = Math.min(next, timers.peek().at());
            }
            now = Math.min(end, Math.max(next, now + 1));
            clock.set(now);
        }
    }

    private void runInstant(final long now) {
        for (int round = 0; round < 100; round++) {
            int work = network.deliverDue(now);
            while (!timers.isEmpty() && timers.peek().at() <= now) {
                timers.poll().task().run();
                work++;
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (!crashed.get(i)) {
                    for (int k = 0; k < 10_000; k++) {
                        final int w = nodes.get(i).doWork();
                        work += w;
                        if (w == 0) {
                            break;
                        }
                    }
                }
            }
            if (work == 0 && network.nextDelivery() > now) {
                return;
            }
        }
    }

    private void note(final String what) {
        log.add(String.format("%.3f s: %s", (now() - TimeUnit.SECONDS.toNanos(1)) / 1e9, what));
    }

    /** Closes every node. */
    public void close() {
        for (int i = 0; i < nodes.size(); i++) {
            if (!crashed.get(i)) {
                nodes.get(i).close();
            }
        }
    }
}
