package io.cairn.toolkit.leader;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.util.function.BiConsumer;

/**
 * The leader of a group: the oldest member of the current primary view. No messages: the view is the election.
 * See the package documentation.
 */
public final class LeaderElection extends Block {
    private volatile BiConsumer<MemberId, View> listener = (leader, view) -> {
    };
    private MemberId last;

    /** @param scheduler timer (unused by the election itself; the base's outbox retries use it) */
    public LeaderElection(final Scheduler scheduler) {
        super("leader", scheduler, "virtual-synchrony");
    }

    /**
     * @param node  the node
     * @param group group name
     * @param stack any stack with virtual synchrony ({@code vsync}, {@code total}, ...)
     * @return the election
     */
    public static LeaderElection join(final Node node, final String group, final String stack) {
        final LeaderElection e = new LeaderElection(Scheduler.shared());
        node.join(group, stack, e);
        return e;
    }

    /**
     * @param l told (on the stack's thread) the leader and the view each time the leader changes, and null when
     *          this member exits
     */
    public void onLeaderChange(final BiConsumer<MemberId, View> l) {
        this.listener = l;
    }

    @Override
    protected void viewChanged(final View old, final View now) {
        final MemberId l = leader();
        record("leader", "", l == null ? "none" : l.toString(), now.id().epoch());
        if (l != null && !l.equals(last)) {
            last = l;
            callback(() -> listener.accept(l, now));
        }
    }

    @Override
    protected void exited(final String reason) {
        last = null;
        callback(() -> listener.accept(null, null));
    }

    @Override
    protected void deliver(final Delivery d, final byte[] payload) {
        // The election sends nothing; casts of the application on this group are not its business.
    }
}
