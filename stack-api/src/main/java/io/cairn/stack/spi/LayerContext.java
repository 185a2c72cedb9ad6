package io.cairn.stack.spi;

import com.typesafe.config.Config;
import io.cairn.stack.event.DownEvent;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;

import java.util.random.RandomGenerator;

/**
 * What a layer sees of its stack: its neighbours (through forwarding calls), its header slot, time, timers,
 * randomness, identity, the current view, settings and counters. One context per layer per stack; use it only on
 * the stack's thread.
 */
public interface LayerContext {
    /** @return this layer's name in the stack (as written in the stack file) */
    String name();

    /** @return this layer's settings: the stack file's overrides over the layer's reference.conf defaults */
    Config settings();

    /** @return offset of this layer's header slot from the start of a data frame */
    int headerOffset();

    /** @return offset of the first byte above this layer's header slot (headers of the layers above, then payload) */
    int bodyOffset();

    /** @return total length of the frame header and every layer header: where the payload starts */
    int headroom();

    /** @return the largest frame the transport carries */
    int maxFrameLength();

    /** @return the local member */
    MemberId self();

    /** @return the configured members to contact when joining ({@code cairn.stack.members}); may be empty */
    java.util.List<MemberId> seeds();

    /** @return the stack's current view as installed at the bottom (null before the first view) */
    View view();

    /**
     * @return nanoseconds since the stack was assembled: never negative (virtual in the simulator, monotonic
     *     otherwise)
     */
    long nowNs();

    /** @return the stack's seeded random generator */
    RandomGenerator random();

    /**
     * @return a generator for keys, nonces and session ids: the JDK's {@code SecureRandom} in a node (different at
     *     every start, even with the same seed), and a {@code SecureRandom} seeded from the stack's seed in
     *     deterministic runs (so a simulator seed replays)
     */
    java.security.SecureRandom secureRandom();

    /** @return what the node knows of its peers' liveness, shared with the node's other groups */
    PeerLiveness peers();

    /**
     * Schedules a one-shot timer.
     *
     * @param delayNs delay from now
     * @param task    the callback
     * @return a timer id for {@link #cancel(long)}
     */
    long schedule(long delayNs, TimerTask task);

    /**
     * Cancels a timer; unknown or expired ids are ignored.
     *
     * @param timerId id from {@link #schedule}
     */
    void cancel(long timerId);

    /**
     * @param name counter name, unique within this layer
     * @return a counter published in the stack's stats as {@code <layer>.<name>}
     */
    Counter counter(String name);

    /**
     * Passes a multicast to the next layer below that handles casts (or the transport).
     *
     * @param msg the message
     */
    void cast(Message msg);

    /**
     * Passes a point-to-point send down.
     *
     * @param msg the message, with {@link Message#destination()} set
     */
    void send(Message msg);

    /**
     * Passes a message to the next layer above that handles deliveries (or the application).
     *
     * @param msg the message
     */
    void deliver(Message msg);

    /**
     * Passes a down event to the next layer below.
     *
     * @param event the event
     */
    void down(DownEvent event);

    /**
     * Passes an up event to the next layer above.
     *
     * @param event the event
     */
    void up(UpEvent event);

    /**
     * A scratch data frame of {@code headroom() + payloadLength} bytes with the frame header filled in, for
     * originating data messages from this layer (retransmissions, sequencer orders). Its buffer holds
     * {@link #maxFrameLength()} bytes, so the layer may lengthen it up to that. Valid until the current handler
     * returns; a handler may hold a few at once (the runtime rotates a small pool).
     *
     * @param payloadLength payload length
     * @return the frame
     */
    Message allocate(int payloadLength);

    /**
     * A scratch control frame with a body of {@code bodyLength} bytes at {@link Message#payloadOffset()} (its buffer
     * may hold no more).
     *
     * @param bodyLength body length
     * @return the frame
     */
    Message allocateControl(int bodyLength);

    /**
     * Multicasts a control frame to the same layer on every member (including this one), bypassing the layers
     * below. Control frames are unreliable: the layer handles loss itself.
     *
     * @param control a frame from {@link #allocateControl}
     */
    void castControl(Message control);

    /**
     * Sends a control frame to the same layer on one member, bypassing the layers below.
     *
     * @param control     a frame from {@link #allocateControl}
     * @param destination the destination's member key
     */
    void sendControl(Message control, long destination);

    /**
     * Stops (true) or resumes (false) taking the application's casts and sends from the stack's command ring, so
     * that back-pressure reaches {@code Group.tryCast} (would block) and {@code Group.cast} (waits). Protocols keep
     * running meanwhile. A flow-control layer holds casts while it lacks credit. Each layer's hold counts on its
     * own: casts flow again once no layer holds them.
     *
     * @param hold whether to hold
     */
    void holdCasts(boolean hold);

    /**
     * @return bytes of delivered payload the application has consumed: counted when the delivery upcall returns,
     *     or as the application reports it when it consumes deliveries later ({@code StackRuntime.consumed})
     */
    long consumedBytes();

    /**
     * Reports a fatal protocol error: the stack stops and the application is told.
     *
     * @param reason what went wrong
     * @param cause  the cause, or null
     */
    void fail(String reason, Throwable cause);

    /** @return the stack's logger */
    System.Logger logger();
}
