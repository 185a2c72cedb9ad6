package io.cairn.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.config.StackSpec;
import io.cairn.stack.runtime.StackObserver;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.runtime.ThreadingMode;
import io.cairn.stack.runtime.WakeableIdleStrategy;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportFactory;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.DynamicCompositeAgent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process's presence in Cairn: its identity, its transports and the threads that run its group stacks.
 *
 * <pre>{@code
 * try (Node node = Node.builder().name("a").build()) {
 *     Group g = node.join("orders", "total", delivery -> handle(delivery));
 *     g.cast(bytes);
 * }
 * }</pre>
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.cairn.node");

    private final MemberId self;
    private final Config config;
    private final ThreadingMode threading;
    private final ReceiveClaims claims;
    private final NanoClock clock;
    private final long seed;
    private final StackAssembler assembler;
    private final Map<String, Transport> transports = new HashMap<>();
    private boolean manualConsumption;
    private final int maxQueuedCasts;
    /** Liveness of peers, shared by this node's stacks (one heartbeat stream per peer, not per group). */
    private final io.cairn.stack.runtime.PeerTable peers = new io.cairn.stack.runtime.PeerTable();
    private final List<Group> groups = new CopyOnWriteArrayList<>();
    private final Map<Group, AgentRunner> runners = new HashMap<>();
    private final StackObserver observer;
    private final boolean autoRejoin;
    private final boolean jmx;
    private final Map<Group, javax.management.ObjectName> mbeans = new HashMap<>();
    private final java.util.Queue<Group> pendingRejoins = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** INVOKER: groups closed from their own upcalls, whose stacks stop at the next {@link #doWork()}. */
    private final java.util.Queue<Group> pendingStops = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private DynamicCompositeAgent shared;
    private WakeableIdleStrategy sharedIdle;
    private AgentRunner sharedRunner;
    private final InvokerDriver driver = new InvokerDriver();
    private boolean closed;

    private Node(final Builder b) {
        // A partial configuration (a few overrides) falls back to the defaults, as join's overrides do.
        this.config = b.config != null ? ConfigFactory.load(b.config) : ConfigFactory.load();
        this.config.checkValid(ConfigFactory.defaultReference(), "cairn.node", "cairn.runtime");
        if (b.name == null) {
            throw new IllegalArgumentException("Node.builder().name(..) is required");
        }
        this.self = new MemberId(b.name, b.incarnation);
        this.threading = b.threading != null ? b.threading : threadingIn(config);
        this.claims = new ReceiveClaims(threading);
        this.clock = b.clock != null ? b.clock : new SystemNanoClock();
        this.seed = b.seed != null ? b.seed : config.getLong("cairn.node.seed");
        // Layer defaults come from the node's configuration, so an application.conf (or -D) can set
        // cairn.layer.<name>.<key> for every group the node joins, as it sets the transports' and the runtime's.
        this.assembler = new StackAssembler(io.cairn.stack.config.LayerRegistry.load(), config);
        this.observer = b.observer;
        this.autoRejoin = config.getBoolean("cairn.node.auto-rejoin");
        this.jmx = config.getBoolean("cairn.node.jmx");
        this.manualConsumption = config.getBoolean("cairn.node.manual-consumption");
        final long queued = config.getBytes("cairn.runtime.max-queued-casts");
        if (queued < 1 || queued > (1 << 30)) {
            throw new StackConfigException(config.getValue("cairn.runtime.max-queued-casts").origin().description()
                + ": cairn.runtime.max-queued-casts = " + queued + " must be from 1 byte to 1G (e.g. 256K)");
        }
        this.maxQueuedCasts = (int) queued;
        this.transports.putAll(b.transports);
    }

    private static ThreadingMode threadingIn(final Config config) {
        final String path = "cairn.node.threading";
        final String value = config.getString(path);
        for (final ThreadingMode m : ThreadingMode.values()) {
            if (m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new StackConfigException(config.getValue(path).origin().description() + ": " + path + " = " + value
            + " is not a threading mode: use dedicated, shared or invoker");
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return this node's member identity */
    public MemberId self() {
        return self;
    }

    /** @return the threading mode */
    public ThreadingMode threading() {
        return threading;
    }

    boolean isInvoker() {
        return threading == ThreadingMode.INVOKER;
    }

    /** With SHARED threading a join waits for the one thread that runs every group: not possible on it. */
    private void refuseOnSharedThread() {
        if (threading == ThreadingMode.SHARED && runsStackOf(null)) {
            throw new IllegalStateException(self + ": joining a group inside an upcall would wait for the shared"
                + " thread that runs the upcall (cairn.node.threading = shared); join from another thread");
        }
    }

    /**
     * Whether the calling thread is the one that runs {@code g}'s stack, i.e. it is inside one of this node's
     * upcalls: waiting there for that stack to make progress would wait for itself.
     */
    boolean runsStackOf(final Group g) {
        return switch (threading) {
            case INVOKER -> driver.inside();
            case SHARED -> sharedRunner != null && sharedRunner.thread() == Thread.currentThread(); // any group
            default -> g.runtime().isAgentThread(Thread.currentThread());
        };
    }

    /** @return the stack assembler this node uses (shipped stacks, layers and transports on the class path) */
    public StackAssembler assembler() {
        return assembler;
    }

    /**
     * Joins a group with a shipped stack name or a stack file path.
     *
     * @param group    group name
     * @param stack    stack name ({@code total}) or path to a {@code .conf} file
     * @param listener upcalls
     * @return the group
     */
    public Group join(final String group, final String stack, final GroupListener listener) {
        return join(group, stack, ConfigFactory.empty(), listener);
    }

    /**
     * Joins a group, with overrides over the stack file (for example {@code cairn.stack.members = [a, b]}).
     *
     * @param group     group name
     * @param stack     stack name or file path
     * @param overrides config merged over the stack file
     * @param listener  upcalls
     * @return the group
     */
    public synchronized Group join(final String group, final String stack, final Config overrides,
                                   final GroupListener listener) {
        if (closed) {
            throw new IllegalStateException("node is closed");
        }
        final StackSpec spec = assembler.load(stack, overrides);
        return start(group, spec, listener);
    }

    /**
     * Joins a group with an already assembled stack.
     *
     * @param group    group name
     * @param spec     the stack
     * @param listener upcalls
     * @return the group
     */
    public synchronized Group start(final String group, final StackSpec spec, final GroupListener listener) {
        refuseOnSharedThread();
        final Group g = new Group(this, group, spec, listener);
        g.attach(newRuntime(g, identityIn(spec)));
        try {
            listener.onStart(g);
        } catch (final RuntimeException e) {
            // A listener that refuses the group (a toolkit block on a stack that lacks what it needs): nothing runs.
            stopUnrun(g);
            throw e;
        }
        if (g.isClosed()) {
            stopUnrun(g); // closed by its own onStart
            return g;
        }
        if (threading == ThreadingMode.INVOKER) {
            run(g); // started before another thread's doWork can see it
            groups.add(g);
        } else {
            groups.add(g);
            run(g);
        }
        registerMBean(g);
        return g;
    }

    /** Publishes the group's counters over JMX ({@code cairn.node.jmx}). */
    private void registerMBean(final Group g) {
        if (jmx) {
            final javax.management.ObjectName name = GroupStatsMBean.register(self, g);
            if (name != null) {
                mbeans.put(g, name);
            }
        }
    }

    private void unregisterMBean(final Group g) {
        GroupStatsMBean.unregister(g, mbeans.remove(g));
    }

    private void stopUnrun(final Group g) {
        g.runtime().stop();
        claims.release(g);
    }

    private StackRuntime newRuntime(final Group g, final MemberId me) {
        final StackSpec spec = g.stack();
        final Transport transport = transport(spec.transport());
        claims.claim(g, transport);
        final View staticView = spec.hasMembership() ? null : View.initial(spec.members());
        final List<StackParams.LayerEntry> layers = new ArrayList<>();
        for (final StackSpec.LayerPlan p : spec.layers()) {
            layers.add(new StackParams.LayerEntry(p.key(), p.newLayer(), p.settings()));
        }
        final StackRuntime rt;
        try {
            rt = new StackRuntime(new StackParams(g.name(), me, layers, transport, clock,
                seed ^ me.key() ^ g.name().hashCode(), ringSize("cairn.runtime.inbound-ring-size"),
                ringSize("cairn.runtime.command-ring-size"), staticView, g.top(), observer, spec.members(),
                ringSize("cairn.runtime.initial-ring-size"), true, peers));
        } catch (final RuntimeException e) {
            claims.release(g); // a bad setting: no stack, so no thread to read for it
            throw e;
        }
        if (manualConsumption) {
            rt.consumption().manual();
        }
        rt.maxQueuedCasts(maxQueuedCasts);
        return rt;
    }

    /**
     * A group's stack exited for a reason other than leaving (excluded, lost the primary partition, state
     * transfer interrupted): replace it with a stack of the next incarnation, which joins again. Called on the
     * stack's own thread, so the replacement happens elsewhere: on a short-lived thread, or (INVOKER) at the next
     * {@link #doWork()}.
     */
    void rejoinLater(final Group g) {
        if (!autoRejoin) {
            return;
        }
        afterUpcall(pendingRejoins, "cairn-rejoin-", g, () -> rejoin(g));
    }

    /**
     * Runs what a stack's own thread cannot do for it once the upcall has returned: (INVOKER) the next
     * {@link #doWork()} takes {@code g} from {@code invokerQueue}, else a short-lived thread runs {@code action}.
     */
    private void afterUpcall(final java.util.Queue<Group> invokerQueue, final String threadPrefix, final Group g,
                             final Runnable action) {
        if (threading == ThreadingMode.INVOKER) {
            invokerQueue.add(g);
            return;
        }
        final Thread t = new Thread(action, threadPrefix + g.name());
        t.setDaemon(true);
        t.start();
    }

    private synchronized void rejoin(final Group g) {
        if (closed || !groups.contains(g) || g.leaveRequested() || g.isClosed()) {
            return; // an application that asked to leave is not brought back
        }
        // The claim on the transport stays: the next incarnation's stack runs on a new thread of the same owner,
        // which claims it again at once (released, a TCP transport would hand its loop to its own thread for good).
        stopRunner(g);
        final MemberId next = g.runtime().self().nextIncarnation();
        LOG.log(System.Logger.Level.INFO, "{0}: rejoining group {1} as {2}", self, g.name(), next);
        g.attach(newRuntime(g, next));
        run(g);
    }

    private void run(final Group g) {
        final StackRuntime runtime = g.runtime();
        switch (threading) {
            case DEDICATED -> {
                final WakeableIdleStrategy idle = idle();
                idle.poller(claims.poller(g));
                runtime.waker(idle);
                final AgentRunner r = new AgentRunner(idle, this::onAgentError, null, runtime);
                runners.put(g, r);
                AgentRunner.startOnThread(r);
            }
            case SHARED -> {
                if (sharedRunner == null) {
                    shared = new DynamicCompositeAgent("cairn-" + self.name());
                    sharedIdle = idle();
                    sharedIdle.poller(claims.shared());
                    sharedRunner = new AgentRunner(sharedIdle, this::onAgentError, null, shared);
                    AgentRunner.startOnThread(sharedRunner);
                    while (shared.status() != DynamicCompositeAgent.Status.ACTIVE) {
                        Thread.onSpinWait();
                    }
                }
                // Input to any group wakes the one thread that runs them all. The composite takes one addition at
                // a time, at its next duty cycle: wake it for that, and wait without spinning (a joiner that spun
                // took a core from the very thread it waited for; a thousand joins took 10 s).
                runtime.waker(sharedIdle);
                while (!shared.tryAdd(runtime)) {
                    sharedIdle.wake();
                    LockSupport.parkNanos(10_000);
                }
                sharedIdle.wake();
                while (!shared.hasAddAgentCompleted()) {
                    LockSupport.parkNanos(10_000);
                }
            }
            case INVOKER -> driver.start(runtime::onStart);
            default -> throw new IllegalStateException();
        }
    }

    private MemberId identityIn(final StackSpec spec) {
        if (spec.hasMembership()) {
            return self;
        }
        if (spec.members().isEmpty()) {
            throw new StackConfigException(spec.source() + ": this stack has no membership layer, so it needs a "
                + "static member list: set cairn.stack.members = [a, b, ...] in the file or in the join overrides");
        }
        for (final MemberId m : spec.members()) {
            if (m.name().equals(self.name())) {
                return m;
            }
        }
        throw new StackConfigException(spec.source() + ": node '" + self.name() + "' is not in cairn.stack.members "
            + spec.members());
    }

    private int ringSize(final String path) {
        final long bytes = config.getBytes(path);
        if (Long.bitCount(bytes) != 1 || bytes > (1 << 30)) {
            throw new StackConfigException(path + ": must be a power of two up to 1G, got " + bytes);
        }
        return (int) bytes;
    }

    /** Back-off to a park of at most max-park, cut short when input arrives (see {@link WakeableIdleStrategy}). */
    private WakeableIdleStrategy idle() {
        return new WakeableIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            config.getDuration("cairn.node.max-park", TimeUnit.NANOSECONDS));
    }

    private void onAgentError(final Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "agent error on " + self, t);
    }

    /**
     * @param name a transport name ({@code inproc}, {@code udp}, ...)
     * @return this node's instance of it, created on first use (for its address and statistics)
     */
    public synchronized Transport transport(final String name) {
        return transports.computeIfAbsent(name, n -> {
            final TransportFactory f = assembler.registry().transports().get(n);
            final String path = "cairn.transport." + n;
            return f.create(config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty(), self.name());
        });
    }

    /**
     * Runs one duty cycle of every group (INVOKER mode only). Any thread may call it (a cast waiting for room does);
     * while one thread runs a cycle, another returns 0 at once (after a yield), so no stack runs on two threads.
     *
     * @return work done
     */
    public int doWork() {
        if (threading != ThreadingMode.INVOKER) {
            throw new IllegalStateException("doWork() is for ThreadingMode.INVOKER; this node runs " + threading);
        }
        if (!driver.enter(self)) {
            return 0;
        }
        try {
            runPendingStops();
            Group g;
            while ((g = pendingRejoins.poll()) != null) {
                rejoin(g);
            }
            int work = 0;
            for (final Group each : groups) {
                if (!each.isClosed()) {
                    work += each.runtime().doWork();
                }
            }
            return work;
        } finally {
            driver.exit();
        }
    }

    /**
     * Removes a closed group and stops its stack. Closed in one of the node's upcalls, the stack cannot be stopped
     * under the layers that run it, its thread cannot wait for itself, and it must not wait for the node's lock
     * (whose holder may be waiting for that thread): all of it happens once the upcall has returned, on a
     * short-lived thread or (INVOKER) at the next {@link #doWork()}, as {@link #rejoinLater} does.
     */
    void detach(final Group g) {
        if (runsStackOf(g)) {
            afterUpcall(pendingStops, "cairn-close-", g, () -> detachNow(g));
        } else if (threading == ThreadingMode.INVOKER) {
            // Never under another thread's duty cycle, which may be running this very stack: then at the next one.
            if (!driver.runHeld(() -> detachNow(g))) {
                pendingStops.add(g);
            }
        } else {
            detachNow(g);
        }
    }

    private synchronized void detachNow(final Group g) {
        if (groups.remove(g)) {
            unregisterMBean(g);
            stopRunner(g);
            claims.release(g);
        }
    }

    /** Stops {@code g}'s stack and the thread running it (its claim on the transport stays). */
    private void stopRunner(final Group g) {
        final AgentRunner r = runners.remove(g);
        if (r != null) {
            r.close();
        } else if (threading == ThreadingMode.SHARED && shared != null) {
            removeShared(g);
        } else {
            g.runtime().stop();
        }
    }

    private void removeShared(final Group g) {
        // As in run: wake the composite for the removal and wait without taking its core.
        while (!shared.tryRemove(g.runtime())) {
            sharedIdle.wake();
            LockSupport.parkNanos(10_000);
        }
        sharedIdle.wake();
        while (!shared.hasRemoveAgentCompleted()) {
            LockSupport.parkNanos(10_000);
        }
    }

    private void runPendingStops() {
        Group g;
        while ((g = pendingStops.poll()) != null) {
            detachNow(g);
        }
    }

    /**
     * Closes every group, then the transports. Not from an upcall: it would stop the stack that runs the upcall
     * under it (close the group there, and the node from another thread).
     */
    @Override
    public void close() {
        // Checked before taking the lock: its holder may be waiting for the thread that runs the upcall.
        for (final Group g : groups) {
            if (runsStackOf(g)) {
                throw new IllegalStateException(self + ": Node.close() inside an upcall of group '" + g.name()
                    + "' would stop the stack that runs it; close the group there, and the node from another thread");
            }
        }
        closeLocked();
    }

    private synchronized void closeLocked() {
        if (closed) {
            return;
        }
        for (final Group g : new ArrayList<>(groups)) {
            // A group closed in an upcall whose detach has not run yet is detached here, before the transports.
            if (g.isClosed()) {
                detachNow(g);
            } else {
                g.close();
            }
        }
        pendingStops.clear();
        if (sharedRunner != null) {
            sharedRunner.close();
        }
        for (final Transport t : transports.values()) {
            t.close();
        }
        closed = true;
    }

    /** Builds a {@link Node}. */
    public static final class Builder {
        private String name;
        private int incarnation;
        private Config config;
        private ThreadingMode threading;
        private NanoClock clock;
        private Long seed;
        private StackObserver observer;
        private final Map<String, Transport> transports = new HashMap<>();

        private Builder() {
        }

        /** Sets the member name (required). */
        public Builder name(final String name) {
            this.name = name;
            return this;
        }

        /** Sets the incarnation number (default 0); a restarted process uses a higher one. */
        public Builder incarnation(final int incarnation) {
            this.incarnation = incarnation;
            return this;
        }

        /**
         * @param config application config: the whole of it, or only what differs from the defaults (it is
         *               layered over {@code reference.conf}, under system properties, as {@code ConfigFactory.load})
         * @return this
         */
        public Builder config(final Config config) {
            this.config = config;
            return this;
        }

        /** Sets the threading mode (default {@code cairn.node.threading}). */
        public Builder threading(final ThreadingMode threading) {
            this.threading = threading;
            return this;
        }

        /** Sets the time source (default the system's monotonic clock; tests pass a manual clock). */
        public Builder clock(final NanoClock clock) {
            this.clock = clock;
            return this;
        }

        /** Sets the seed of the stacks' random generators (default {@code cairn.node.seed}). */
        public Builder seed(final long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets the hook for frames rejected at the bottom of any stack (trace recording). */
        public Builder observer(final StackObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * Gives the node a transport instance to use under a name instead of creating one from the registry: a
         * transport shared with other code, or a simulated network (the testkit's application simulator).
         *
         * @param name      the transport name stacks refer to ({@code cairn.stack.transport})
         * @param transport the instance; the node closes it when it closes
         * @return this
         */
        public Builder transport(final String name, final Transport transport) {
            transports.put(name, transport);
            return this;
        }

        /** @return the node */
        public Node build() {
            if (name == null) {
                throw new IllegalArgumentException("Node.builder().name(..) is required");
            }
            return new Node(this);
        }
    }
}
