package io.cairn.stack.spi;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;

import java.util.Set;

/**
 * One protocol layer: a small object providing one guarantee. All handlers run on the stack's thread, in event
 * order, so a layer keeps plain fields: no locks, volatiles, threads, clocks or randomness of its own (use the
 * {@link LayerContext}).
 *
 * <p>Every handler has a pass-through default. The assembler records which handlers a layer overrides (the skip
 * mask), and events bypass layers that do not override the handler, so a pass-through costs nothing.
 *
 * <p>Down: {@link #onCast}, {@link #onSend}, {@link #onDownEvent}. Up: {@link #onDeliver}, {@link #onUpEvent}.
 * Peer-to-peer control frames of this layer: {@link #onControl}. Timers: {@link LayerContext#schedule}.
 */
public interface Layer {
    /** @return the properties this layer provides to the layers above it; by default its {@link LayerSpec}'s */
    default Set<Property> provides() {
        return LayerDescriptor.of(getClass()).provides();
    }

    /** @return the properties this layer requires from the layers below it (and the transport) */
    default Set<Property> requires() {
        return LayerDescriptor.of(getClass()).requires();
    }

    /**
     * Stable numeric id of this layer type, used to route its control frames. Must be unique in a stack; the
     * assembler checks. Built-in layers use small constants in their {@link LayerSpec}; without one, the id is
     * derived from the class name.
     *
     * @return id in 1..65535
     */
    default int layerId() {
        return LayerDescriptor.of(getClass()).id();
    }

    /** @return the length of the fixed header this layer writes into every data frame (0 for none) */
    default int headerLength() {
        return LayerDescriptor.of(getClass()).header();
    }

    /**
     * Reads this layer's settings, each with the range it allows (see {@link Settings}): called before
     * {@link #init}, and by the assembler on a prototype, so a bad stack file fails before anything runs. Keep
     * what it reads in fields. The default reads nothing.
     *
     * @param settings this layer's settings, defaults included
     */
    default void configure(final Settings settings) {
    }

    /**
     * Called once after assembly and {@link #configure}, bottom to top, before any event: create counters and
     * schedule timers here (settings are read in {@code configure}).
     *
     * @param ctx this layer's context, valid for the stack's lifetime
     */
    default void init(final LayerContext ctx) {
    }

    /**
     * Called when the stack stops, top to bottom.
     *
     * @param ctx this layer's context
     */
    default void stop(final LayerContext ctx) {
    }

    /**
     * A multicast going down.
     *
     * @param ctx context
     * @param msg the message, valid during this call
     */
    default void onCast(final LayerContext ctx, final Message msg) {
        ctx.cast(msg);
    }

    /**
     * A point-to-point send going down ({@link Message#destination()}).
     *
     * @param ctx context
     * @param msg the message, valid during this call
     */
    default void onSend(final LayerContext ctx, final Message msg) {
        ctx.send(msg);
    }

    /**
     * A non-data request going down.
     *
     * @param ctx   context
     * @param event the event
     */
    default void onDownEvent(final LayerContext ctx, final DownEvent event) {
        ctx.down(event);
    }

    /**
     * A message going up (multicast or unicast; see {@link Message#isUnicast()}).
     *
     * @param ctx context
     * @param msg the message, valid during this call
     */
    default void onDeliver(final LayerContext ctx, final Message msg) {
        ctx.deliver(msg);
    }

    /**
     * A non-data indication going up.
     *
     * @param ctx   context
     * @param event the event
     */
    default void onUpEvent(final LayerContext ctx, final UpEvent event) {
        ctx.up(event);
    }

    /**
     * A control frame sent by this same layer on a peer ({@link LayerContext#castControl} /
     * {@link LayerContext#sendControl}). The body starts at {@link Message#payloadOffset()}. Never reaches other
     * layers. The default drops it.
     *
     * @param ctx context
     * @param msg the control frame, valid during this call
     */
    default void onControl(final LayerContext ctx, final Message msg) {
    }

    /**
     * Appends a human-readable description of this layer's state (Ensemble {@code dump}).
     *
     * @param out where to append
     */
    default void dump(final StringBuilder out) {
    }
}
