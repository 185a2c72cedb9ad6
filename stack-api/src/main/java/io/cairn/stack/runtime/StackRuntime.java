package io.cairn.stack.runtime;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.InstallView;
import io.cairn.stack.event.Leave;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.event.Exited;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.ViewTag;
import io.cairn.stack.wire.FrameValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.nio.ByteOrder;
import java.util.random.RandomGenerator;

/**
 * One running stack: the ordered region in which all of its layers run. It is an Agrona {@link Agent}: each duty
 * cycle reads the clock once, drains the inbound frame ring (transport threads write into it), the application
 * command ring (casts and sends, copied in by application threads with the headroom reserved, so layers write their
 * headers in place) and the event queue, then expires timers. Nothing here blocks.
 */
public final class StackRuntime implements Agent {
    private static final int DRAIN_LIMIT = 256;
    private static final ByteOrder LE = FrameHeader.ORDER;
    private static final System.Logger LOG = System.getLogger("io.cairn.stack");

    private final String groupName;
    private final int groupId;
    private final MemberId self;
    private final LayerChain chain;
    private final Slot[] slots;
    private final int headroom;
    private final int maxFrameLength;
    private final NanoClock clock;
    private final RandomGenerator random;
    private final StackInputs in;
    private final Timers timers;
    private final StatsRegistry stats = new StatsRegistry();
    private final StackListener listener;
    private final View staticView;
    private final java.util.List<MemberId> seeds;
    private final OutboundFrames out;
    private final InboundFrames inbound;
    /** Stops mid-batch when a layer starts holding casts: the rest stay in the ring (see {@link CommandGate}). */
    private final Commands commands;

    private final Counter handlerErrors;
    /** Duty cycles run: liveness for probes ("alive" = it advances), one plain increment per cycle. */
    private final Counter dutyCycles;

    /** Run to completion: events raised while a handler runs wait for it to return. */
    final RunToCompletion rtc = new RunToCompletion(this);

    private final java.security.SecureRandom secureRandom;
    private final io.cairn.stack.spi.PeerLiveness peers;
    private final long originNs;
    private long nowNs;
    private long eventNo;
    private View view;
    private boolean started;
    /** The thread that started this stack (its own, or a shared one): the only one that runs its upcalls. */
    private volatile Thread agentThread;
    private boolean stopped;
    /** Duty cycles (and starts) in progress on this stack's thread; layers stopped meanwhile stop at the end. */
    private int cycleDepth;
    private boolean layersToStop;
    private final CommandGate gate;
    private final Consumption consumption = new Consumption();

    /**
     * Assembles the runtime; calls every layer's {@code configure}, then its {@code init}, bottom to top.
     *
     * @param p parameters
     */
    public StackRuntime(final StackParams p) {
        this.groupName = p.groupName();
        this.groupId = FrameHeader.groupIdOf(p.groupName());
        this.self = p.self();
        this.clock = p.clock();
        this.random = new java.util.SplittableRandom(p.seed());
        this.secureRandom = p.secureSession() ? new java.security.SecureRandom()
            : StackParams.seededSecureRandom(p.seed());
        this.listener = p.listener();
        this.staticView = p.staticView();
        this.seeds = p.seeds();
        // Layers see time since the stack started: a monotonic clock's origin is arbitrary (System.nanoTime may
        // be negative), and "never" sentinels of 0 must stay in the past.
        this.originNs = clock.nanoTime();
        this.peers = (p.peers() != null ? p.peers() : new PeerTable()).forStack(p.transport().name(), self.key(),
            originNs);
        this.nowNs = 0;
        this.timers = new Timers(nowNs, this::onTimer);
        this.chain = new LayerChain(this, p.layers());
        // Layers size frames to what is left once the seal has added its bytes.
        this.maxFrameLength = p.transport().maxFrameLength() - (chain.seal != null ? chain.seal.sealOverhead() : 0);
        this.slots = chain.slots;
        this.headroom = chain.headroom;
        for (final Slot s : slots) {
            // Before binding the transport: a bad setting throws with nothing to undo.
            s.layer.configure(new io.cairn.stack.spi.Settings("cairn.stack.layer." + s.name, s.settings));
        }
        this.handlerErrors = stats.counter("stack.handler_errors");
        this.dutyCycles = stats.counter("stack.duty_cycles");
        this.inbound = new InboundFrames(this, chain, p.observer(), maxFrameLength, p.transport().maxFrameLength());
        this.in = new StackInputs(p.inboundBytes(), p.commandBytes(), p.initialRingBytes(), headroom,
            stats.counter("stack.rx_queue_full"),
            inbound.rejects(FrameValidator.Reject.OVERSIZE), roleName());
        this.gate = new CommandGate(in);
        this.out = new OutboundFrames(p.transport().bind(groupId, self, in), groupId, self.key(), headroom,
            maxFrameLength, stats, chain.seal, p.transport().maxFrameLength());
        this.commands = new Commands(this, chain, out, gate, headroom);
        for (final Slot s : slots) {
            s.layer.init(s);
        }
    }

    // ---------------------------------------------------------------- inputs from other threads

    /** Copies a frame into the inbound ring (any thread); false, counted as a drop, when the ring is full. */
    public boolean offerFrame(final DirectBuffer buffer, final int offset, final int length) {
        return in.onFrame(buffer, offset, length);
    }

    /** Sets what to wake when input arrives (the idle strategy of the thread that runs this stack, or null). */
    public void waker(final WakeableIdleStrategy w) {
        in.waker(w);
    }

    /**
     * Queues a cast (any thread); the payload is copied once, after the reserved headroom. False when the command
     * ring is full or flow control holds casts (back-pressure): to wait, read {@link #room}'s epoch before the
     * offer and await it after the refusal.
     */
    public boolean offerCast(final DirectBuffer src, final int offset, final int length) {
        return gate.acceptsCasts() && in.offerCast(src, null, offset, length);
    }

    /** Queues a cast of part of an array (any thread), like {@link #offerCast(DirectBuffer, int, int)}. */
    public boolean offerCast(final byte[] src, final int offset, final int length) {
        return gate.acceptsCasts() && in.offerCast(null, src, offset, length);
    }

    /** Queues a send to a member key (any thread), like {@link #offerCast(DirectBuffer, int, int)}. */
    public boolean offerSend(final long destination, final DirectBuffer src, final int offset, final int length) {
        return in.offerSend(destination, src, null, offset, length);
    }

    /** Queues a send of part of an array to a member key (any thread); false when the ring is full. */
    public boolean offerSend(final long destination, final byte[] src, final int offset, final int length) {
        return in.offerSend(destination, null, src, offset, length);
    }

    /**
     * Queues a down event (enters at the top), an up event (enters at the bottom, as from the transport) or a
     * {@link Runnable} to run on the stack's thread (any thread).
     *
     * @param eventOrTask a {@link DownEvent}, an {@link UpEvent} or a {@link Runnable}
     * @return false when the queue is full
     */
    public boolean offerEvent(final Object eventOrTask) {
        return in.offerEvent(eventOrTask);
    }

    /** Queues an up event that enters at the bottom, as from the transport (any thread); false when full. */
    public boolean offerFromBelow(final UpEvent event) {
        return offerEvent(event);
    }

    /** @return where a thread whose cast ({@code cast}) or send was refused waits for room */
    public RoomSignal room(final boolean cast) {
        return cast ? in.castRoom : in.sendRoom;
    }

    /** @return the largest cast payload the command ring can take */
    public int maxCommandPayload() {
        return in.maxCommandPayload();
    }

    // ---------------------------------------------------------------- agent

    @Override
    public void onStart() {
        if (started) {
            return;
        }
        started = true;
        agentThread = Thread.currentThread();
        nowNs = clock.nanoTime() - originNs;
        if (staticView != null) {
            installBottomView(staticView);
            cycleDepth++;
            rtc.enter();
            try {
                dispatchUp(new ViewInstalled(staticView));
            } catch (final RuntimeException e) {
                handlerError("start", e);
            } finally {
                rtc.exit();
                rtc.runDeferred();
                endOfCycle();
            }
        }
    }

    @Override
    public int doWork() {
        if (stopped) {
            return 0;
        }
        cycleDepth++;
        try {
            return cycle();
        } finally {
            endOfCycle();
        }
    }

    /** Layers stopped during a cycle (a failure) stop once it is over: a handler may still be using its state. */
    private void endOfCycle() {
        if (--cycleDepth == 0 && layersToStop) {
            layersToStop = false;
            stopLayers();
        }
    }

    private int cycle() {
        if (!started) {
            onStart();
        }
        nowNs = clock.nanoTime() - originNs;
        dutyCycles.increment();
        int work = gate.offerPending() + in.readFrames(inbound, DRAIN_LIMIT);
        // Writability is asked only when there is something to write (a transport may scan its peers for it).
        if (gate.mayRead() && in.mayHaveCommands() && out.channel().isWritable()) {
            work += in.readCommands(commands, DRAIN_LIMIT);
        }
        work += drainEvents();
        work += timers.poll(nowNs);
        if (work > 0) {
            out.channel().flush();
            in.signalRoom(gate.acceptsCasts());
        }
        return work;
    }

    @Override
    public void onClose() {
        stop();
    }

    /**
     * Stops the layers top to bottom and detaches from the transport. Idempotent; call on the stack's thread. Called
     * during a duty cycle (a layer failed), the stack takes nothing more, and its layers stop when the cycle ends.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        in.signalStopped();
        if (cycleDepth > 0) {
            layersToStop = true;
            return;
        }
        stopLayers();
    }

    private void stopLayers() {
        for (int i = slots.length - 1; i >= 0; i--) {
            try {
                slots[i].layer.stop(slots[i]);
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "layer " + slots[i].name + " failed to stop", e);
            }
        }
        out.channel().close();
    }

    @Override
    public String roleName() {
        return "cairn-" + groupName + "-" + self.name();
    }

    private int drainEvents() {
        int n = 0;
        Object o;
        while (n < DRAIN_LIMIT && (o = in.pollEvent()) != null) {
            n++;
            rtc.enter();
            try {
                if (o instanceof DownEvent e) {
                    dispatchDown(e);
                } else if (o instanceof UpEvent e) {
                    dispatchUp(e);
                } else {
                    ((Runnable) o).run();
                }
            } catch (final RuntimeException e) {
                handlerError("event " + o, e);
            } finally {
                rtc.exit();
                rtc.runDeferred();
            }
        }
        return n;
    }

    private void onTimer(final TimerTask task, final Slot owner, final long now) {
        rtc.enter();
        try {
            if (owner != null) {
                owner.active++;
            }
            task.onTimer(now);
            if (owner != null) {
                owner.active--;
            }
        } catch (final RuntimeException e) {
            handlerError("timer " + task, e);
        } finally {
            rtc.exit();
            rtc.runDeferred();
        }
    }

    /** @return whether an event {@code origin} raises now must wait: it would re-enter a layer mid-handler */
    boolean mustDefer(final Slot origin, final boolean up) {
        return rtc.mustDefer(slots, origin, up);
    }

    /** Queues an event raised by {@code origin} (null: an end of the stack) while a handler runs. */
    void defer(final Slot origin, final boolean up, final Object event) {
        rtc.defer(origin, up, event);
    }

    void handlerError(final String what, final RuntimeException e) {
        handlerErrors.increment();
        for (final Slot s : slots) {
            s.active = 0;
        }
        LOG.log(System.Logger.Level.WARNING, roleName() + ": a layer threw while handling " + what, e);
    }

    // ---------------------------------------------------------------- ends of the stack

    void dispatchDown(final DownEvent e) {
        if (chain.topDown != null) {
            chain.topDown.active++;
            chain.topDown.layer.onDownEvent(chain.topDown, e);
            chain.topDown.active--;
        } else {
            bottomEvent(e);
        }
    }

    void dispatchUp(final UpEvent e) {
        if (chain.bottomUp != null) {
            chain.bottomUp.active++;
            chain.bottomUp.layer.onUpEvent(chain.bottomUp, e);
            chain.bottomUp.active--;
        } else {
            topEvent(e);
        }
    }

    void stampViewTag(final Message m) {
        m.buffer().putLong(m.offset() + FrameHeader.VIEW_TAG_OFFSET, out.viewTag(), LE);
    }

    void bottomCast(final Message m) {
        out.cast(m);
    }

    void bottomSend(final Message m) {
        out.send(m, m.destination());
    }

    void bottomEvent(final DownEvent e) {
        if (e instanceof InstallView iv) {
            installBottomView(iv.view());
        } else if (e instanceof Leave && staticView != null) {
            final Exited x = new Exited("left");
            if (mustDefer(null, true)) {
                defer(null, true, x);
            } else {
                dispatchUp(x);
            }
        }
    }

    private void installBottomView(final View v) {
        view = v;
        out.viewTag(ViewTag.of(v.id()));
    }

    void topDeliver(final Message m) {
        if (m.length() < headroom) {
            shortFrame(m);
            return;
        }
        listener.onDeliver(++eventNo, m);
        consumption.delivered(m.payloadLength());
    }

    void holdCasts(final boolean hold) {
        gate.hold(hold);
    }

    /** @return how much of what this stack delivered the application has consumed (flow control's input) */
    public Consumption consumption() {
        return consumption;
    }

    /** Bounds the bytes of casts and sends waiting for this stack's thread (set before it runs). */
    public void maxQueuedCasts(final int bytes) {
        in.maxQueuedBytes(bytes);
    }

    /**
     * A data frame too short for the header slot of the layer it was about to reach: every layer may read its
     * own header without checking the length, because this check runs at every hop (a fragmentation layer
     * legitimately passes short fragments below itself, and whole messages above).
     */
    void shortFrame(final Message m) {
        inbound.reject(FrameValidator.Reject.MALFORMED, m.sender());
    }

    /** An event reaches the application; the gate then acknowledges a flush or a view behind its casts. */
    void topEvent(final UpEvent e) {
        if (e instanceof Exited) {
            // Out of the group: the others must see it go silent (and suspect it), not hear a zombie.
            out.silence();
        }
        try {
            listener.onEvent(++eventNo, e);
        } finally {
            // Even if the application's upcall threw: a flush or a view must not wait for ever.
            gate.upcalled(e);
        }
    }

    Message allocate(final int payloadLength) {
        return out.allocate(payloadLength);
    }

    Message allocateControl(final int layerId, final int bodyLength) {
        return out.allocateControl(layerId, bodyLength);
    }

    void castControl(final Message m) {
        out.cast(m);
    }

    void sendControl(final Message m, final long destination) {
        out.send(m, destination);
    }

    long schedule(final long delayNs, final TimerTask task, final Slot owner) {
        return timers.schedule(nowNs + Math.max(0, delayNs), task, owner);
    }

    void cancelTimer(final long id) {
        timers.cancel(id);
    }

    void fail(final String reason, final Throwable cause) {
        LOG.log(System.Logger.Level.ERROR, roleName() + " failed: " + reason, cause);
        stop();
        listener.onFailure(reason, cause);
    }

    // ---------------------------------------------------------------- accessors

    /** @return the group name */
    public String groupName() {
        return groupName;
    }

    /** @return the group's wire id */
    public int groupId() {
        return groupId;
    }

    /** @return the local member */
    public MemberId self() {
        return self;
    }

    /** @return the members to contact when joining */
    public java.util.List<MemberId> seeds() {
        return seeds;
    }

    /** @return the view installed at the bottom (null before the first) */
    public View view() {
        return view;
    }

    /** @return this stack's generator of secrets (see {@code LayerContext.secureRandom}) */
    java.security.SecureRandom secureRandom() {
        return secureRandom;
    }

    io.cairn.stack.spi.PeerLiveness peers() {
        return peers;
    }

    /** @return the tag of the view installed at the bottom, the one outbound frames carry */
    long viewTag() {
        return out.viewTag();
    }

    /** @return frame header plus all layer headers */
    public int headroom() {
        return headroom;
    }

    /** @return the transport's maximum frame length */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** @return the stack's time as of the current duty cycle: nanoseconds since the stack was assembled */
    public long nowNs() {
        return nowNs;
    }

    /** @return the stack's random generator */
    public RandomGenerator random() {
        return random;
    }

    /** @return this stack's counters */
    public StatsRegistry stats() {
        return stats;
    }

    /** @return whether {@code t} started this stack (in DEDICATED and SHARED threading, the one that runs it) */
    public boolean isAgentThread(final Thread t) {
        return agentThread == t;
    }

    /** @return whether the stack has stopped */
    public boolean isStopped() {
        return stopped;
    }

    /** @return number of pending timers (for tests and dumps) */
    public int pendingTimers() {
        return timers.size();
    }

    /** @return the layers, bottom first */
    public Layer[] layers() {
        final Layer[] out = new Layer[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = slots[i].layer;
        }
        return out;
    }

    /** @return a description of every layer's state, top first */
    public String dump() {
        final StringBuilder sb = new StringBuilder(roleName()).append(" view=").append(view).append('\n');
        for (int i = slots.length - 1; i >= 0; i--) {
            sb.append("  [").append(i).append("] ").append(slots[i].name).append(": ");
            slots[i].layer.dump(sb);
            sb.append('\n');
        }
        return sb.toString();
    }
}
