package io.cairn.bench.compare;

/**
 * What the driver needs from a group communication system: start N members in this JVM, cast from one of them,
 * hear about every delivery, stop. One implementation per system, so both run under the same driver code.
 */
interface GroupSystem {
    /** @return a short label for the report, e.g. {@code JGroups udp.xml} */
    String label();

    /**
     * Starts {@code n} members that join {@code cluster}; returns once every member has started joining (not
     * necessarily once the view is complete: the driver waits for that with {@link Cluster#viewSizes()}).
     *
     * @param cluster a name not used before in this JVM
     * @param n       members
     * @param sink    receives every delivery at every member
     * @return the running members
     * @throws Exception when a member cannot start
     */
    Cluster start(String cluster, int n, Sink sink) throws Exception;

    /** Running members of one group. */
    interface Cluster extends AutoCloseable {
        /**
         * Casts to the whole group (the caster included), waiting while the system applies back-pressure.
         *
         * @param member  which member casts
         * @param payload the message; the caller reuses the array once this returns
         * @throws Exception when the system refuses the message
         */
        void cast(int member, byte[] payload) throws Exception;

        /** @return the size of each member's current view (0 before its first) */
        int[] viewSizes();

        /** Stops every member and releases their threads and sockets. */
        @Override
        void close();
    }

    /** Delivery callback: the decoded {@link Payload} header of a message delivered at a member. */
    interface Sink {
        /**
         * @param member   the member that delivered
         * @param intended the nanoTime the message was scheduled for (its sender's schedule, not its actual cast)
         * @param sender   the member that cast it
         * @param tag      measurement tag
         * @param length   payload length
         */
        void deliver(int member, long intended, int sender, int tag, int length);
    }
}
