package io.cairn.testkit.sim;

import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.Exited;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.Suspected;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.runtime.StackListener;
import io.cairn.stack.runtime.StackObserver;
import io.cairn.stack.runtime.StackRuntime;
import io.cairn.stack.wire.FrameValidator;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceEvent;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One simulated member: a stack plus the application on top of it, which records the trace. Payloads start with
 * the sender's 8-byte sequence number, so messages are identified without trusting any layer.
 */
public final class SimMember implements StackListener, StackObserver {
    private final MemberId id;
    private final Trace trace;
    private final TraceEvent.Mode mode;
    private final LongFunction<String> names;
    private final LongSupplierClock clock;
    /** Hash of every payload any member cast, by message id: tells an application payload from a layer's own. */
    private final Map<String, Long> sentHashes;
    private final List<byte[]> pendingWhileBlocked = new ArrayList<>();
    private StackRuntime runtime;
    private long retiredHandlerErrors;
    private String vid;
    private boolean blocked;
    private boolean crashed;
    private boolean hung;
    private boolean paused;
    private long seq;
    private long idx;
    private long delivered;
    private String exitReason;
    private boolean exitRejoin;
    private long exitedAt;
    /** The application's state: a commutative digest (sum of payload hashes) of what it delivered. */
    private long digest;
    private long stateCount;
    private long lastOrder;
    private long consumeRate = -1;
    private long unconsumed;
    private long consumeCarry;
    private final java.io.ByteArrayOutputStream incoming = new java.io.ByteArrayOutputStream();

    /** Time source of the trace. */
    @FunctionalInterface
    interface LongSupplierClock {
        long now();
    }

    SimMember(final MemberId id, final Trace trace, final TraceEvent.Mode mode, final LongFunction<String> names,
              final LongSupplierClock clock, final Map<String, Long> sentHashes) {
        this.id = id;
        this.sentHashes = sentHashes;
        this.trace = trace;
        this.mode = mode;
        this.names = names;
        this.clock = clock;
    }

    void attach(final StackRuntime rt) {
        this.runtime = rt;
    }

    /** @return the member id */
    public MemberId id() {
        return id;
    }

    /** @return its stack */
    public StackRuntime runtime() {
        return runtime;
    }

    /** @return messages delivered to the application */
    public long delivered() {
        return delivered;
    }

    /** @return the application state's digest (sum of the hashes of everything delivered or received as state) */
    public long digest() {
        return digest;
    }

    /** @return why its stack exited, or null */
    public String exitReason() {
        return exitReason;
    }

    /** @return whether its stack asked to rejoin as a new incarnation */
    boolean exitRejoin() {
        return exitRejoin;
    }

    /** @return when its stack exited */
    long exitedAt() {
        return exitedAt;
    }

    /** @return whether it crashed */
    public boolean crashed() {
        return crashed;
    }

    boolean runnable() {
        return !crashed && !paused;
    }

    void paused(final boolean p) {
        paused = p;
    }

    /**
     * Kills the process. One whose stack already exited is only reclaimed (to restart it as a new incarnation):
     * it was out of the group already, so no {@code crash} is recorded, which would excuse it (CORRECTNESS.md X1).
     */
    void crash() {
        crashed = true;
        if (exitReason == null) {
            trace.add(TraceEvent.simple(TraceEvent.Type.CRASH, clock.now(), id.toString()));
        }
        runtime.stop();
    }

    /**
     * Its stack hangs for good without a word ({@code hang}): recorded as a crash, as the group sees it; the stack
     * is neither run nor stopped, so it announces nothing to its node's other stacks.
     */
    void hang() {
        if (crashed || exitReason != null) {
            return;
        }
        crashed = true;
        hung = true;
        trace.add(TraceEvent.simple(TraceEvent.Type.CRASH, clock.now(), id.toString()));
    }

    /** @return whether its stack hung (it still holds its network endpoint until its process goes) */
    boolean hung() {
        return hung;
    }

    /** @return whether it is in the group as far as the application knows: neither crashed, hung nor exited */
    boolean up() {
        return !crashed && exitReason == null;
    }

    /** The application asks to leave: records the request ({@code leave}) and passes it down its stack. */
    void leaveRequested() {
        if (crashed || exitReason != null) {
            return;
        }
        trace.add(TraceEvent.simple(TraceEvent.Type.LEAVE, clock.now(), id.toString()));
        runtime.offerEvent(new io.cairn.stack.event.Leave());
    }

    /**
     * End of the run: records this process's {@code handler_errors} counter (E1; every process ever created,
     * crashed and exited ones too) and, if it is still in the group, its application digest in its view (S2).
     */
    /**
     * This process was replaced by its next incarnation: keep only what the end of the run records (its handler
     * errors), and let its stack (rings of tens of megabytes) be collected, so churn does not exhaust memory.
     */
    void retire() {
        retiredHandlerErrors = runtime.stats().get("stack.handler_errors");
        runtime = null;
    }

    void recordEnd() {
        final long now = clock.now();
        trace.add(TraceEvent.gauge(now, id.toString(), TraceEvent.HANDLER_ERRORS,
            runtime == null ? retiredHandlerErrors : runtime.stats().get("stack.handler_errors")));
        if (!crashed && exitReason == null && vid != null) {
            trace.add(TraceEvent.finalState(now, id.toString(), vid, digest));
        }
    }

    /**
     * Casts a payload whose first 8 bytes this method fills with the next sequence number. The send is recorded at
     * the same point as {@link io.cairn.testkit.trace.TraceRecorder} records it: a cast the stack accepts while the
     * application has a view and has not seen {@code Blocked} is sent in the current view; one accepted after
     * {@code Blocked} (or before the first view) is recorded at the next install, in the new view. An application
     * whose stack exited casts nothing (it knows it is out of the group): the cast is dropped, and reported as
     * taken so that a blocking workload does not wait for a member that will never take it.
     *
     * @param payload at least 8 bytes
     * @return whether the stack accepted it (or the member is out of the group)
     */
    boolean cast(final byte[] payload) {
        if (exitReason != null) {
            return true;
        }
        final UnsafeBuffer b = new UnsafeBuffer(payload);
        b.putLong(0, seq + 1, ByteOrder.LITTLE_ENDIAN);
        if (!runtime.offerCast(b, 0, payload.length)) {
            return false;
        }
        seq++;
        sentHashes.put(id + "/" + seq, hash(b, 0, payload.length));
        if (blocked || vid == null) {
            // The stack queues casts issued during a flush and sends them in the next view.
            pendingWhileBlocked.add(payload.clone());
        } else {
            trace.add(TraceEvent.send(clock.now(), id.toString(), seq, vid, mode, hash(b, 0, payload.length)));
        }
        return true;
    }

    /**
     * A multicast reached the layer that provides {@code safe} (see {@link RecvProbe}): records {@code recv} when it
     * is an application payload (its id and hash match a cast), not a layer's own message.
     *
     * @param m the message
     */
    void received(final Message m) {
        if (m.payloadLength() < 8) {
            return;
        }
        final long s = m.buffer().getLong(m.payloadOffset(), ByteOrder.LITTLE_ENDIAN);
        final String src = names.apply(m.sender());
        final Long h = sentHashes.get(src + "/" + s);
        if (h != null && h == hash(m.buffer(), m.payloadOffset(), m.payloadLength())) {
            trace.add(TraceEvent.recv(clock.now(), id.toString(), src, s));
        }
    }

    void consumeRate(final long bytesPerSecond) {
        consumeRate = bytesPerSecond;
    }

    /**
     * A slow application ({@link Simulator.Options#slowConsumer}) consumes its queued deliveries for {@code ns}.
     *
     * @param ns simulated time that passed
     */
    void consume(final long ns) {
        if (consumeRate < 0 || crashed || unconsumed == 0) {
            return;
        }
        consumeCarry += ns * consumeRate;
        final long bytes = Math.min(unconsumed, consumeCarry / 1_000_000_000L);
        consumeCarry -= bytes * 1_000_000_000L;
        if (unconsumed - bytes == 0) {
            consumeCarry = 0;
        }
        if (bytes > 0) {
            unconsumed -= bytes;
            runtime.consumption().report(bytes);
        }
    }

    @Override
    public void onDeliver(final long eventNo, final Message m) {
        if (consumeRate >= 0) {
            unconsumed += m.payloadLength();
        }
        delivered++;
        digest += hash(m.buffer(), m.payloadOffset(), m.payloadLength());
        stateCount++;
        final long s = m.payloadLength() >= 8 ? m.buffer().getLong(m.payloadOffset(), ByteOrder.LITTLE_ENDIAN) : 0;
        if (m.order() != 0) {
            lastOrder = m.order();
        }
        trace.add(TraceEvent.deliver(clock.now(), id.toString(), names.apply(m.sender()), s, vid, mode,
            hash(m.buffer(), m.payloadOffset(), m.payloadLength()), ++idx, m.order()));
    }

    @Override
    public void onEvent(final long eventNo, final UpEvent e) {
        final long now = clock.now();
        if (e instanceof ViewInstalled vi) {
            final View v = vi.view();
            final String prev = vid;
            vid = v.id().epoch() + ":" + v.id().coordinator();
            trace.add(TraceEvent.install(now, id.toString(), vid, v.members().stream().map(Object::toString).toList(),
                v.primary(), prev));
            if (blocked) {
                trace.add(TraceEvent.simple(TraceEvent.Type.UNBLOCK, now, id.toString()));
                blocked = false;
            }
            long s = seq - pendingWhileBlocked.size();
            for (final byte[] p : pendingWhileBlocked) {
                trace.add(TraceEvent.send(now, id.toString(), ++s, vid, mode, hash(new UnsafeBuffer(p), 0, p.length)));
            }
            pendingWhileBlocked.clear();
        } else if (e instanceof Blocked) {
            blocked = true;
            trace.add(TraceEvent.simple(TraceEvent.Type.BLOCK, now, id.toString()));
        } else if (e instanceof Suspected s) {
            trace.add(TraceEvent.suspect(now, id.toString(), s.member().toString()));
        } else if (e instanceof io.cairn.stack.event.StateSnapshotRequest r) {
            final UnsafeBuffer state = new UnsafeBuffer(new byte[24]);
            state.putLong(0, digest, ByteOrder.LITTLE_ENDIAN);
            state.putLong(8, stateCount, ByteOrder.LITTLE_ENDIAN);
            state.putLong(16, lastOrder, ByteOrder.LITTLE_ENDIAN);
            r.provide(new java.io.ByteArrayInputStream(state.byteArray()));
            trace.add(TraceEvent.state(false, now, id.toString(), r.joiner().toString(), vid, lastOrder, digest));
        } else if (e instanceof io.cairn.stack.event.StateChunk c) {
            incoming.writeBytes(c.data());
            if (c.last()) {
                final byte[] all = incoming.toByteArray();
                incoming.reset();
                if (all.length == 24) {
                    final UnsafeBuffer state = new UnsafeBuffer(all);
                    digest = state.getLong(0, ByteOrder.LITTLE_ENDIAN);
                    stateCount = state.getLong(8, ByteOrder.LITTLE_ENDIAN);
                    lastOrder = state.getLong(16, ByteOrder.LITTLE_ENDIAN);
                }
                trace.add(TraceEvent.state(true, now, c.from().toString(), id.toString(), vid, lastOrder, digest));
            }
        } else if (e instanceof Exited x) {
            trace.add(TraceEvent.exit(now, id.toString(), TraceEvent.exitReasonOf(x.reason())));
            exitReason = x.reason();
            exitRejoin = x.rejoin();
            exitedAt = now;
        }
    }

    @Override
    public void onReject(final FrameValidator.Reject reason, final long sender) {
        trace.add(TraceEvent.reject(clock.now(), id.toString(), reason.name().toLowerCase(), names.apply(sender)));
    }

    /** Records every stats entry named {@code <layer>.gauge.<name>} as a gauge event. */
    void sampleGauges() {
        for (final Map.Entry<String, Long> e : runtime.stats().snapshot().entrySet()) {
            final int at = e.getKey().indexOf(".gauge.");
            if (at > 0) {
                trace.add(TraceEvent.gauge(clock.now(), id.toString(), e.getKey().substring(at + 7), e.getValue()));
            }
        }
    }

    /**
     * FNV-1a 64 over a payload: the trace's {@code h}.
     *
     * @param b   buffer
     * @param off start
     * @param len length
     * @return hash
     */
    public static long hash(final DirectBuffer b, final int off, final int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            h ^= b.getByte(off + i) & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
