package io.cairn.testkit.sim;

import io.cairn.stack.runtime.PeerTable;
import io.cairn.testkit.trace.TraceEvent;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated hosts: each is one process running a stack of every group, with the host's clock, its table of
 * peer liveness (shared by those stacks, as a {@code Node}'s) and the application's settings. Applies the faults
 * that hit a host rather than the network.
 */
final class SimHosts {
    /** Each host's clock: what its stacks read (trace timestamps stay in simulator time). */
    final List<HostClock> clocks = new ArrayList<>();
    /** Each host's peer table; a crashed host's next process starts a new one. */
    final List<PeerTable> peers = new ArrayList<>();
    /** Hosts whose members do not rejoin as a new incarnation when their stack exits asking to. */
    final Set<Integer> noRejoin = new HashSet<>();
    /** Hosts whose application consumes deliveries slowly, in bytes per second. */
    final Map<Integer, Long> slowRates = new HashMap<>();
    /** The groups every host runs a stack of. */
    final List<SimGroup> groups = new ArrayList<>();
    private final NanoClock clock;
    private int leaves;
    private int hangs;

    SimHosts(final NanoClock clock, final int hosts, final int groups, final Set<Integer> noRejoin,
             final Map<Integer, Long> slow) {
        this.clock = clock;
        for (int i = 0; i < hosts; i++) {
            clocks.add(new HostClock(clock));
            peers.add(new PeerTable());
        }
        final Set<Integer> ids = new HashSet<>();
        for (int g = 0; g < groups; g++) {
            this.groups.add(new SimGroup(g));
            if (!ids.add(this.groups.get(g).groupId)) {
                throw new IllegalStateException("group ids collide at " + this.groups.get(g).name);
            }
        }
        this.noRejoin.addAll(noRejoin);
        this.slowRates.putAll(slow);
    }

    /** @return the host's member in the turn's group, or the next group's where it is up */
    private java.util.Optional<SimMember> up(final int host, final int turn) {
        for (int k = 0; k < groups.size(); k++) {
            final SimMember m = groups.get((turn + k) % groups.size()).members.get(host);
            if (m.up()) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }

    /** Records a fault in every group's trace. */
    void fault(final TraceEvent e) {
        groups.forEach(g -> g.trace.add(e));
    }

    /** Records an action in every group's trace. */
    void record(final FaultSchedule.Action a) {
        fault(TraceEvent.fault(clock.nanoTime(), a.kind().scriptName(), a.toString()));
    }

    /** Applies a time-0 action that only sets up a host before the stacks start; false for every other kind. */
    boolean preStart(final FaultSchedule.Action a) {
        final int host = a.members().isEmpty() ? -1 : a.members().get(0);
        switch (a.kind()) {
            case CLOCK -> clocks.get(host).change(a.clock());
            case NO_REJOIN -> noRejoin.add(host);
            case SLOW_CONSUMER -> slowRates.put(host, a.amount());
            default -> {
                return false;
            }
        }
        record(a);
        return true;
    }

    /**
     * Applies an action on a host (recorded by the caller).
     *
     * @return false when the action is not a host's
     */
    boolean apply(final FaultSchedule.Action a, final SimNetwork network) {
        final int host = a.members().isEmpty() ? -1 : a.members().get(0);
        switch (a.kind()) {
            case CRASH -> {
                // The process dies with every stack it ran; its next one starts with an empty peer table.
                for (final SimGroup g : groups) {
                    final SimMember m = g.members.get(host);
                    if (!m.crashed()) {
                        m.crash();
                    }
                    // A hung stack's endpoint goes with its process too.
                    network.kill(g.groupId, m.id().key());
                }
                peers.set(host, new PeerTable());
            }
            // A leave or a hang is one group's: the process stays in its other groups (the groups take turns, and
            // a group where the member is down already passes its turn on).
            case LEAVE -> up(host, leaves++).ifPresent(SimMember::leaveRequested);
            case HANG -> up(host, hangs++).ifPresent(SimMember::hang);
            case PAUSE -> groups.forEach(g -> g.members.get(host).paused(true));
            case RESUME -> groups.forEach(g -> g.members.get(host).paused(false));
            case CLOCK -> clocks.get(host).change(a.clock());
            case NO_REJOIN -> noRejoin.add(host);
            case SLOW_CONSUMER -> {
                slowRates.put(host, a.amount());
                for (final SimGroup g : groups) {
                    final SimMember m = g.members.get(host);
                    m.runtime().consumption().manual();
                    m.consumeRate(a.amount());
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
