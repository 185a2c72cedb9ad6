package io.cairn.api;


/**
 * Upcalls from a group, on the group's stack thread, in the stack's order. Keep them short; to process on a pool
 * without losing the order, copy what you need and use {@link Group#orderedRegion()} with {@link Delivery#eventNo()}.
 * Every upcall consumes one event number, so a pool that orders through the region must {@code skip} the numbers
 * of upcalls it does not process. An upcall must not wait for a stack its thread runs (with shared or invoker
 * threading, any group of the node): a {@code cast}, {@code send}, {@code awaitView} or {@code leave(Duration)}
 * that would have to wait there throws {@link IllegalStateException} instead of stalling the stack (so does
 * {@code leave()} in the rare case that the command queue is full); upcalls use {@code tryCast} and
 * {@code trySend}, or hand the work to another thread. {@link Group#close()} works in an upcall: the stack stops
 * after the upcall returns. {@link Node#close()} does not (close the node from another thread), nor does a join
 * with shared threading.
 */
public interface GroupListener {
    /**
     * The group was created and its stack is about to run: called once, on the joining thread, before any other
     * upcall (so a listener that orders work through {@link Group#orderedRegion()} can take it here, free of races).
     *
     * @param group the group
     */
    default void onStart(final Group group) {
    }

    /**
     * A message, delivered with the guarantees of the group's stack.
     *
     * @param delivery valid during this call only
     */
    void onDeliver(Delivery delivery);

    /**
     * A new view.
     *
     * @param view    the view
     * @param eventNo its event number
     */
    default void onView(final View view, final long eventNo) {
    }

    /**
     * A flush started: casts from now on are queued and sent in the next view.
     *
     * @param eventNo its event number
     */
    default void onBlock(final long eventNo) {
    }

    /**
     * The failure detector suspects a member.
     *
     * @param member  the member
     * @param eventNo its event number
     */
    default void onSuspect(final MemberId member, final long eventNo) {
    }

    /**
     * This member left the group, or lost the primary partition.
     *
     * @param reason  why
     * @param eventNo its event number
     */
    default void onExit(final String reason, final long eventNo) {
    }

    /**
     * State transfer (stacks with {@code state-transfer}): called on a member of the new view, at the cut (after
     * the view is installed, before anything of it is delivered), for each joiner. Return a stream over the
     * application state (read in bounded chunks later, then closed), or null for no state.
     *
     * @param joiner the member that joins
     * @return the state, or null
     */
    default java.io.InputStream provideState(final MemberId joiner) {
        return null;
    }

    /**
     * State transfer: a piece of the state, in order, on the joiner. Deliveries of the view follow the last one.
     *
     * @param chunk bytes (the callee may keep them)
     * @param last  whether the state is complete
     */
    default void receiveStateChunk(final byte[] chunk, final boolean last) {
    }

    /**
     * Any other indication from the top layer (stability, custom layer events).
     *
     * @param event   the event
     * @param eventNo its event number
     */
    default void onEvent(final Object event, final long eventNo) {
    }

    /**
     * The stack failed and stopped.
     *
     * @param reason why
     * @param cause  cause or null
     */
    default void onFailure(final String reason, final Throwable cause) {
    }
}
