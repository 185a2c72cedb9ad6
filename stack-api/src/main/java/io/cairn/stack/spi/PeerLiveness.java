package io.cairn.stack.spi;

/**
 * What a node knows of the liveness of its peers, shared by all of the node's groups: a frame heard from a peer in
 * one group is a sign of life in every group the two share, a heartbeat sent to it in one group spares the others
 * theirs, and a suspicion confirmed in one group reaches the others (see the {@code heartbeat} layer). Sharing is
 * between stacks of one node in which both ends have the same member keys (the same incarnations); a stack run on
 * its own (a harness) shares with nobody, and the simulator gives each host one table for its groups. Times are the
 * stack's ({@link LayerContext#nowNs}).
 */
public interface PeerLiveness {
    /** One peer as this stack sees it. Handles are cheap to keep, and each is released when no longer needed. */
    interface Peer {
        /** A frame from the peer arrived (at {@code nowNs}). */
        void heard(long nowNs);

        /** @return when any of the node's groups last heard from the peer ({@code Long.MIN_VALUE / 2}: never) */
        long lastHeard();

        /** A heartbeat that reaches the peer was sent. */
        void beatSent(long nowNs);

        /** @return when any of the node's groups last sent the peer a heartbeat ({@code Long.MIN_VALUE / 2}: never) */
        long lastBeatSent();

        /** The peer was suspected after the confirmation round. */
        void suspect(long nowNs);

        /** @return when a group of the node last suspected the peer ({@code Long.MIN_VALUE / 2}: never) */
        long lastSuspected();

        /** The peer's node reported its generation (see {@link PeerLiveness#generation}). */
        void generation(long generation);

        /** @return the highest generation the peer's node reported to any of this node's groups (0: none) */
        long generation();
    }

    /**
     * @return this node's generation: it rises whenever one of the node's stacks installs a view or stops, so a peer
     *         that sees it rise knows that evidence from one of its groups may no longer speak for another
     */
    long generation();

    /** One of this node's stacks installed a view or stopped: raises {@link #generation()}. */
    void changed();

    /**
     * This stack is running (called on every tick of its failure detector, and once when it installs its first
     * view). A stack of the node that stops calling it for {@code stallNs} while another still does is stuck (a
     * listener that never returns, a thread that died) and cannot speak for itself: the node's generation rises
     * once for that silence, so its peers stop taking the node's other groups' word for it and confirm it in each
     * group, where a stuck stack does not answer. Silence is judged net of how late the caller is itself beyond its
     * own tick, so a pause of the whole process is no stall. A stack that stops for good calls {@link #retire}.
     *
     * @param nowNs   the stack's time
     * @param tickNs  how often this stack calls it
     * @param stallNs how long without a call this stack counts as stuck
     * @return how many stalls of other stacks this call announced (for a counter)
     */
    default int running(final long nowNs, final long tickNs, final long stallNs) {
        return 0;
    }

    /** This stack stops: it is no longer watched for stalls. */
    default void retire() {
    }

    /**
     * @param peerKey the peer's member key
     * @return a handle on the peer, to {@link #release} when done with it
     */
    Peer acquire(long peerKey);

    /** @param peer a handle from {@link #acquire}, no longer used */
    void release(Peer peer);
}
