package io.cairn.layers.heartbeat;

import io.cairn.stack.event.Message;
import io.cairn.stack.event.Suspected;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.PeerLiveness;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;


/** Heartbeat failure detector with probe confirmation. See the package documentation. */
@LayerSpec(name = "heartbeat", id = HeartbeatLayer.ID, position = 500, provides = "failure-detection")
public final class HeartbeatLayer extends PerViewLayer {
    /** Layer id of heartbeat. */
    public static final int ID = 10;

    private static final long NEVER = Long.MIN_VALUE / 2;
    private final TimerTask tick = this::onTick;
    private long intervalNs;
    private long timeoutNs;
    private long probeIntervalNs;
    private int probes;
    private long[] lastHeard = new long[0];
    private int[] probesSent = new int[0];
    private long[] lastProbe = new long[0];
    private boolean[] suspected = new boolean[0];
    /** The node's shared record of each member (null for self): evidence and beats of the node's other groups. */
    private PeerLiveness.Peer[] peers = new PeerLiveness.Peer[0];
    /** Shared only: the peer's generation this group last confirmed by a heartbeat or probe reply of its own. */
    private long[] confirmedGeneration = new long[0];
    /** Shared only: when this group first saw the member's generation unconfirmed (NEVER: it is confirmed). */
    private long[] unconfirmedSince = new long[0];
    /**
     * Members heard speaking the unshared format (9 bytes: their stack does not pool liveness, or runs a release
     * that cannot): no shared evidence stands for them, and while one is in the view this group speaks it too and
     * beats for itself, so that every member can read its frames.
     */
    private boolean[] plain = new boolean[0];
    private boolean anyPlain;
    private long viewStart;
    /** Whether to pool liveness with the node's other groups (see the package documentation for when it is sound). */
    private boolean share;
    private long lastBeat;
    private Counter beats;
    private Counter probesCounter;
    private Counter suspicions;
    private Counter stalls;

    @Override
    public void configure(final Settings s) {
        intervalNs = s.durationNs("interval", Settings.MICROSECOND, Settings.HOUR);
        timeoutNs = s.durationNs("timeout", Settings.MICROSECOND, Settings.HOUR);
        s.require(timeoutNs >= 2 * intervalNs, "timeout", "must be at least twice interval ("
            + Settings.duration(intervalNs) + ")");
        probeIntervalNs = s.durationNs("probe-interval", Settings.MICROSECOND, Settings.HOUR);
        probes = s.intIn("probes", 1, 1000);
        share = s.flag("share-liveness");
    }

    @Override
    protected void onInit(final LayerContext c) {
        beats = c.counter("heartbeats_sent");
        probesCounter = c.counter("probes_sent");
        suspicions = c.counter("suspicions");
        stalls = c.counter("stalled_stacks_announced");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        startView(v);
    }

    /** Everyone in a new view starts as recently heard from. */
    private void startView(final View v) {
        final boolean first = previousView() == null;
        final int n = v.size();
        lastHeard = new long[n];
        java.util.Arrays.fill(lastHeard, ctx().nowNs());
        probesSent = new int[n];
        lastProbe = new long[n];
        suspected = new boolean[n];
        viewStart = ctx().nowNs();
        // Acquire before releasing, so the record of a member that stays is kept.
        final PeerLiveness.Peer[] old = peers;
        peers = new PeerLiveness.Peer[n];
        for (int r = 0; share && r < n; r++) {
            if (!v.members().get(r).equals(ctx().self())) {
                peers[r] = ctx().peers().acquire(v.members().get(r).key());
            }
        }
        releaseAll(old);
        final long[] oldConfirmed = confirmedGeneration;
        final long[] oldSince = unconfirmedSince;
        final boolean[] oldPlain = plain;
        confirmedGeneration = new long[n];
        unconfirmedSince = new long[n];
        plain = new boolean[n];
        anyPlain = false;
        java.util.Arrays.fill(unconfirmedSince, NEVER);
        for (int r = 0; share && r < n; r++) {
            final int o = first ? -1 : previousView().rankOfKey(v.members().get(r).key());
            if (o >= 0 && o < oldConfirmed.length) {
                // A member that stays keeps what this group confirmed of it: a new view confirms nothing.
                confirmedGeneration[r] = oldConfirmed[o];
                unconfirmedSince[r] = oldSince[o];
                plain[r] = oldPlain[o];
                anyPlain |= plain[r];
            } else if (peers[r] != null) {
                // A new member has just proved itself by joining: as of what its node has told us so far.
                confirmedGeneration[r] = peers[r].generation();
            }
        }
        if (share && !first && !v.members().containsAll(previousView().members())) {
            // A view that drops members (a member it dropped may be us, still in our old view elsewhere): peers
            // must confirm this group's liveness again. Views that only add members change nothing for them.
            ctx().peers().changed();
        }
        if (first) {
            ctx().schedule(intervalNs, tick);
            if (share) {
                // Watched for stalls from now: a stack stuck before its first tick must not be vouched for.
                ctx().peers().running(ctx().nowNs(), tickNs(), timeoutNs);
            }
        }
    }

    private long tickNs() {
        return Math.min(intervalNs, probeIntervalNs);
    }

    /** @return whether this group's frames carry the node's generation (17 bytes) */
    private boolean shared() {
        return share && !anyPlain;
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        heard(m.sender());
        c.deliver(m);
    }

    private void heard(final long key) {
        final int r = rankOf(key);
        if (r >= 0) {
            lastHeard[r] = ctx().nowNs();
            probesSent[r] = 0;
            if (peers[r] != null) {
                peers[r].heard(lastHeard[r]);
            }
        }
    }

    private void releaseAll(final PeerLiveness.Peer[] handles) {
        for (final PeerLiveness.Peer p : handles) {
            if (p != null) {
                ctx().peers().release(p);
            }
        }
    }

    @Override
    protected void onStop(final LayerContext c) {
        if (share) {
            // Peers must no longer take our other groups' word for this one.
            ctx().peers().retire();
            ctx().peers().changed();
        }
        releaseAll(peers);
        peers = new PeerLiveness.Peer[0];
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        final int length = m.payloadLength();
        // Both formats are read whatever this stack's setting: members of one group may differ in it (a node
        // configured otherwise, a rolling upgrade), and each must still hear the other.
        if (length != HeartbeatControl.LENGTH && length != HeartbeatControl.LENGTH_WITH_GENERATION) {
            malformed();
            return;
        }
        if (!sameView(HeartbeatControl.viewTag(m.buffer(), o))) {
            return;
        }
        heard(m.sender());
        final int r = rankOf(m.sender());
        final byte type = HeartbeatControl.type(m.buffer(), o);
        final boolean withGeneration = length == HeartbeatControl.LENGTH_WITH_GENERATION;
        if (share && r >= 0 && plain[r] == withGeneration) {
            plain[r] = !withGeneration;
            anyPlain = false;
            for (final boolean p : plain) {
                anyPlain |= p;
            }
        }
        if (share && withGeneration && r >= 0 && peers[r] != null
            && (type == HeartbeatControl.HEARTBEAT || type == HeartbeatControl.PROBE_REPLY)) {
            // The member's stack for this group is alive as of this generation of its node.
            final long g = HeartbeatControl.generation(m.buffer(), o);
            peers[r].generation(g);
            confirmedGeneration[r] = Math.max(confirmedGeneration[r], g);
        }
        if (HeartbeatControl.type(m.buffer(), o) == HeartbeatControl.PROBE && view().rankOfKey(m.sender()) >= 0) {
            send(HeartbeatControl.PROBE_REPLY, m.sender());
        }
    }

    private void send(final byte type, final long to) {
        final boolean withGeneration = shared();
        final Message f = ctx().allocateControl(withGeneration ? HeartbeatControl.LENGTH_WITH_GENERATION
            : HeartbeatControl.LENGTH);
        HeartbeatControl.write(f.buffer(), f.payloadOffset(), type, viewTag());
        if (withGeneration) {
            HeartbeatControl.writeGeneration(f.buffer(), f.payloadOffset(), ctx().peers().generation());
        }
        if (to == 0) {
            ctx().castControl(f);
        } else {
            ctx().sendControl(f, to);
        }
    }

    /**
     * Every tick: beat if due; a member silent for the timeout is probed, up to {@code probes} times one
     * probe-interval apart; if it still says nothing it is suspected (once per view).
     */
    private void onTick(final long now) {
        ctx().schedule(tickNs(), tick);
        if (share) {
            // Our ticks tell the node's other stacks we are not stuck, and watch theirs (PeerLiveness.running).
            stalls.add(ctx().peers().running(now, tickNs(), timeoutNs));
        }
        if (view() == null || selfRank() < 0) {
            return;
        }
        if (now - lastBeat >= intervalNs && !beatenByOthers(now)) {
            send(HeartbeatControl.HEARTBEAT, 0);
            beats.increment();
            lastBeat = now;
            for (final PeerLiveness.Peer p : peers) {
                if (p != null) {
                    p.beatSent(now);
                }
            }
        }
        for (int r = 0; r < lastHeard.length; r++) {
            if (r == selfRank() || suspected[r]) {
                continue;
            }
            final PeerLiveness.Peer pooled = plain[r] ? null : peers[r];
            final long heard = pooled == null ? lastHeard[r] : Math.max(lastHeard[r], pooled.lastHeard());
            final long elsewhere = pooled == null ? NEVER : pooled.lastSuspected();
            // Shared evidence stands for this group only while the member's node reports no change (a stack of it
            // installed a view or stopped) that this group has not confirmed with a heartbeat or probe reply of
            // its own; and a suspicion another group confirmed during this view, with the member silent since,
            // starts our probes at once. Evidence is shared, verdicts are not.
            final boolean unconfirmed = pooled != null && pooled.generation() > confirmedGeneration[r];
            if (!unconfirmed) {
                unconfirmedSince[r] = NEVER;
            } else if (unconfirmedSince[r] == NEVER) {
                unconfirmedSince[r] = now;
            }
            if (!unconfirmed && now - heard < timeoutNs && !(elsewhere >= viewStart && elsewhere > heard)) {
                continue;
            }
            // Unconfirmed only (the member's node is heard from): keep probing for a whole timeout before the
            // verdict, as an unshared detector would wait; the member may be installing a view we are about to.
            final boolean wait = unconfirmed && now - heard < timeoutNs && now - unconfirmedSince[r] < timeoutNs;
            if (probesSent[r] < probes || wait) {
                if (now - lastProbe[r] >= probeIntervalNs) {
                    send(HeartbeatControl.PROBE, view().members().get(r).key());
                    probesCounter.increment();
                    probesSent[r]++;
                    lastProbe[r] = now;
                }
            } else if (now - lastProbe[r] >= probeIntervalNs) {
                suspect(r, now);
            }
        }
    }

    private void suspect(final int r, final long now) {
        suspected[r] = true;
        suspicions.increment();
        if (peers[r] != null) {
            peers[r].suspect(now);
        }
        ctx().up(new Suspected(view().members().get(r)));
    }

    /**
     * @return whether every other member was sent a heartbeat within the interval by another of the node's groups
     *         (a group of one, or a stack that shares with no other, always beats itself)
     */
    private boolean beatenByOthers(final long now) {
        if (anyPlain) {
            return false; // a member that does not pool liveness hears only this group's beats
        }
        boolean any = false;
        for (final PeerLiveness.Peer p : peers) {
            if (p != null) {
                if (now - p.lastBeatSent() >= intervalNs) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" suspected=")
            .append(java.util.Arrays.toString(suspected));
    }
}
