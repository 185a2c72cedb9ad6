package io.cairn.layers.membership;

import io.cairn.api.MemberId;
import io.cairn.stack.spi.LayerContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a member without a view founds the group, and with whom. The first configured member, in its first
 * incarnation, founds it; without configured members, the first incarnation with the smallest name among those
 * heard asking within found-after. Later, a member without a view founds again only when a majority of the configured
 * members (itself included) are asking to join right now, it ranks first among them in the configured order, and no
 * view took it in within found-after: every primary view needs some of that majority, so the group died (every
 * partition lost its primary, or its founder's view died before anyone installed it). The founder is not pinned to
 * one name: it may have left for good. A member of a live group telling this one to WAIT holds founding off.
 */
final class Founding {
    private final LayerContext ctx;
    private final long foundAfterNs;
    /** Who is asking to join now, and when each was last heard (same indexes). */
    private final List<MemberId> asking = new ArrayList<>();
    private final List<Long> heardNs = new ArrayList<>();
    /** When a member of a live group last told this viewless one to wait (Long.MIN_VALUE: never). */
    private long waitHeardNs = Long.MIN_VALUE;
    /** Start of the current found-after wait. */
    private long sinceNs;

    Founding(final LayerContext ctx, final long foundAfterNs) {
        this.ctx = ctx;
        this.foundAfterNs = foundAfterNs;
        this.sinceNs = ctx.nowNs();
    }

    /** A viewless member asked to join. */
    void heardJoin(final MemberId j, final long now) {
        for (int i = 0; i < asking.size(); i++) {
            if (asking.get(i).name().equals(j.name())) {
                asking.remove(i);
                heardNs.remove(i);
                break;
            }
        }
        asking.add(j);
        heardNs.add(now);
    }

    /** A group is alive: wait for its coordinator to take us in rather than found another. */
    void heardWait(final long now) {
        sinceNs = now;
        waitHeardNs = now;
    }

    /** Paused (or starved): JOINs read now are old news and no WAIT could reach us; wait a full found-after again. */
    void restart(final long now) {
        sinceNs = now;
    }

    /** @return whether this member founds the group now */
    boolean due(final long now) {
        return now - sinceNs >= foundAfterNs && mayFound(now);
    }

    /**
     * @return whether a founding INSTALL must be ignored: a member of a live group just told us to wait, and a
     * founder that did not hear it would make a second primary beside that group with us in it
     */
    boolean waitHeardRecently(final long now) {
        return waitHeardNs != Long.MIN_VALUE && now - waitHeardNs <= foundAfterNs;
    }

    /** @return the members to found with: those asking lately (and first incarnations waiting at bootstrap) */
    List<MemberId> members(final long now) {
        for (int i = asking.size() - 1; i >= 0; i--) {
            if (asking.get(i).incarnation() > 0 && now - heardNs.get(i) > foundAfterNs) {
                // Not heard lately: it may be in a view by now (a first incarnation at bootstrap is waiting).
                asking.remove(i);
                heardNs.remove(i);
            }
        }
        return List.copyOf(asking);
    }

    /** @return whether {@code members} hold a majority of the configured members (true without seeds) */
    boolean majorityOfSeeds(final List<MemberId> members) {
        if (ctx.seeds().isEmpty()) {
            return true;
        }
        int seeds = 0;
        for (final MemberId m : members) {
            if (seedRank(m) >= 0) {
                seeds++;
            }
        }
        return seeds * 2 > ctx.seeds().size();
    }

    private boolean mayFound(final long now) {
        final List<MemberId> seeds = ctx.seeds();
        if (seeds.isEmpty() && ctx.self().incarnation() == 0) {
            // No configured members (peers found by discovery): the smallest name among the first incarnations
            // heard asking founds, so members started together form one group rather than one each.
            for (int i = 0; i < asking.size(); i++) {
                final MemberId m = asking.get(i);
                if (m.incarnation() == 0 && now - heardNs.get(i) <= foundAfterNs
                    && m.name().compareTo(ctx.self().name()) < 0) {
                    return false;
                }
            }
            return true;
        }
        final MemberId first = seeds.isEmpty() ? ctx.self() : seeds.get(0);
        if (ctx.self().incarnation() == 0 && first.name().equals(ctx.self().name())) {
            return true;
        }
        final int rank = seedRank(ctx.self());
        if (rank < 0 || ctx.self().incarnation() == 0) {
            // A first incarnation waits for the first configured member's founding view (or rejoins later).
            return false;
        }
        int count = 1;
        for (int i = 0; i < asking.size(); i++) {
            if (now - heardNs.get(i) > foundAfterNs) {
                continue;
            }
            final int r = seedRank(asking.get(i));
            if (r < 0) {
                continue;
            }
            if (r < rank && asking.get(i).incarnation() > 0) {
                // A first incarnation never founds again (it waits for the bootstrap founder), so it does not
                // outrank this one: otherwise a group whose founder left would wait for it for ever.
                return false;
            }
            count++;
        }
        return 2 * count > seeds.size();
    }

    private int seedRank(final MemberId m) {
        final List<MemberId> seeds = ctx.seeds();
        for (int i = 0; i < seeds.size(); i++) {
            if (seeds.get(i).name().equals(m.name())) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "asking=" + asking;
    }
}
