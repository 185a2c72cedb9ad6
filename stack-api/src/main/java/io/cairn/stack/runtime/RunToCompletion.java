package io.cairn.stack.runtime;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.UpEvent;

import java.util.ArrayDeque;

/**
 * Run to completion, after Ensemble's event queue: a non-message event (a view, a flush step, an exit) that would
 * reach a layer while that layer is in the middle of one of its own handlers is queued and dispatched once the
 * top-level handler returns. So no layer ever sees a view change inside its own handler: a delivery loop that
 * completes a flush, which installs the next view, finishes its loop in the old view first. Events that re-enter no
 * busy layer go through at once (so a view passing down reaches the bottom before the casts its sender releases
 * next), messages always go straight through (the hot path), and queued events keep their order. Every top-level
 * entry (a frame, a command, a queued event, a timer) is bracketed by {@link #enter()} and {@link #exit()} and
 * then calls {@link #runDeferred()}; {@link Slot#active} counts a layer's handlers on the call stack.
 */
final class RunToCompletion {
    private static final Object UP = new Object();
    private static final Object DOWN = new Object();
    /** Origin of an event raised at an end of the stack (the runtime itself). */
    private static final Object ENDS = new Object();

    private final StackRuntime stack;
    /** Triples: origin slot (or {@link #ENDS}), direction, event. Grows once, then allocates nothing. */
    private final ArrayDeque<Object> deferred = new ArrayDeque<>();
    private int depth;
    private int endsDeferred;

    RunToCompletion(final StackRuntime stack) {
        this.stack = stack;
    }

    void enter() {
        depth++;
    }

    void exit() {
        depth--;
    }

    /**
     * An event from {@code origin} (null: the runtime at an end) waits when it would re-enter a layer that is in
     * the middle of a handler (below it for a down event, above it for an up event), or when an earlier event of
     * the same origin waits (a layer's events keep their order: a view goes down before it goes up). Otherwise it
     * goes through at once, so a layer's own down event (a view reaching the bottom) takes effect before the
     * messages that layer sends after it.
     */
    boolean mustDefer(final Slot[] slots, final Slot origin, final boolean up) {
        if (origin == null ? endsDeferred > 0 : origin.deferred > 0) {
            return true;
        }
        if (origin == null) {
            for (final Slot s : slots) {
                if (s.active > 0) {
                    return true;
                }
            }
            return false;
        }
        if (up) {
            for (int i = origin.index + 1; i < slots.length; i++) {
                if (slots[i].active > 0) {
                    return true;
                }
            }
        } else {
            for (int i = origin.index - 1; i >= 0; i--) {
                if (slots[i].active > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    int pending() {
        return deferred.size() / 3;
    }

    void defer(final Slot origin, final boolean up, final Object event) {
        if (origin == null) {
            endsDeferred++;
        } else {
            origin.deferred++;
        }
        deferred.add(origin == null ? ENDS : origin);
        deferred.add(up ? UP : DOWN);
        deferred.add(event);
    }

    /** Dispatches queued events in the order they were raised, each to completion (events it raises queue up). */
    void runDeferred() {
        if (depth > 0) {
            return;
        }
        while (!deferred.isEmpty()) {
            final Object origin = deferred.poll();
            final boolean up = deferred.poll() == UP;
            final Object event = deferred.poll();
            if (origin == ENDS) {
                endsDeferred--;
            } else {
                ((Slot) origin).deferred--;
            }
            depth++;
            try {
                if (origin == ENDS) {
                    if (up) {
                        stack.dispatchUp((UpEvent) event);
                    } else {
                        stack.dispatchDown((DownEvent) event);
                    }
                } else if (up) {
                    ((Slot) origin).forwardUp((UpEvent) event);
                } else {
                    ((Slot) origin).forwardDown((DownEvent) event);
                }
            } catch (final RuntimeException e) {
                stack.handlerError("event " + event, e);
            } finally {
                depth--;
            }
        }
    }
}
