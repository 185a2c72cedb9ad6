package io.cairn.client;

/**
 * What the members do with a client's messages. Called on every member, on the group's stack thread, in the
 * group's delivery order, exactly once per member for each (client, sequence number), whatever the client resent
 * or through whichever member it came.
 */
@FunctionalInterface
public interface ClientHandler {
    /**
     * @param client  who sent it
     * @param seq     its sequence number (1, 2, ... per client)
     * @param payload its bytes (owned by the callee)
     * @return the reply the client gets (from the member it is connected to); may be empty, never null
     */
    byte[] handle(ClientId client, long seq, byte[] payload);

    /** @return the application's state for a joining member (taken at the view's cut, on the stack thread) */
    default byte[] snapshot() {
        return new byte[0];
    }

    /**
     * @param state what a member's {@link #snapshot} returned; deliveries of the view follow
     */
    default void restore(final byte[] state) {
    }
}
