package io.cairn.stack.runtime;

import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;

/** The top of a stack: receives what leaves the top layer, each upcall with its event number. */
public interface StackListener {
    /**
     * A message delivered by the top layer.
     *
     * @param eventNo monotonic upcall number (from 1)
     * @param msg     the message, valid during the call
     */
    void onDeliver(long eventNo, Message msg);

    /**
     * An indication from the top layer (view, block, suspicion, stability, exit).
     *
     * @param eventNo monotonic upcall number
     * @param event   the event
     */
    void onEvent(long eventNo, UpEvent event);

    /**
     * The stack failed and stopped.
     *
     * @param reason why
     * @param cause  the cause, or null
     */
    default void onFailure(final String reason, final Throwable cause) {
    }
}
