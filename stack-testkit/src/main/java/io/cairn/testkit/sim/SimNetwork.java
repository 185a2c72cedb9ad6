package io.cairn.testkit.sim;

import io.cairn.stack.event.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulator's network: frames in flight ordered by (delivery time, send order), with per-link loss,
 * duplication, reordering, delay and jitter, partitions into sides, and dead members. Every random choice comes
 * from one seeded generator, consumed in the deterministic order the simulator runs members in.
 */
public final class SimNetwork {
    private record InFlight(long at, long order, long to, byte[] bytes) {
    }

    private final SplittableRandom random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((x, y) ->
        x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private final List<Long> members = new ArrayList<>();
    private final Map<Long, FrameReceiver> receivers = new HashMap<>();
    private final Map<Integer, Integer> side = new HashMap<>();
    private final Map<Long, Integer> hostOf = new HashMap<>();
    private final Map<String, Long> lastOnLink = new HashMap<>();
    private final Map<String, LinkConditions> linkOverrides = new HashMap<>();
    private final Map<String, Boolean> lastLost = new HashMap<>();
    private final Set<Property> provides;
    private final int maxFrameLength;
    private LinkConditions conditions = LinkConditions.CLEAN;
    private long order;
    private long now;
    private long sent;
    private long dropped;

    /**
     * @param seed           seed of every network decision
     * @param maxFrameLength largest frame
     * @param provides       what the emulated transport guarantees (its frames are then never lost or reordered)
     */
    public SimNetwork(final long seed, final int maxFrameLength, final Set<Property> provides) {
        this.random = new SplittableRandom(seed);
        this.maxFrameLength = maxFrameLength;
        this.provides = Set.copyOf(provides);
    }

    /** @return the current link conditions */
    public LinkConditions conditions() {
        return conditions;
    }

    /**
     * @param c new link conditions (for every pair of members)
     */
    public void conditions(final LinkConditions c) {
        this.conditions = c;
    }

    /**
     * Places a member's stack on a host: partitions cut hosts apart, so a process restarted as a new incarnation
     * stays on its side.
     *
     * @param key  member key
     * @param host host index
     */
    public void host(final long key, final int host) {
        hostOf.put(key, host);
    }

    /**
     * Splits hosts into sides; frames between sides are dropped. Hosts not listed form side 0.
     *
     * @param sides host indexes per side
     */
    public void partition(final List<List<Integer>> sides) {
        side.clear();
        for (int i = 0; i < sides.size(); i++) {
            for (final int h : sides.get(i)) {
                side.put(h, i + 1);
            }
        }
    }

    private int sideOf(final long key) {
        final Integer h = hostOf.get(key);
        return h == null ? 0 : side.getOrDefault(h, 0);
    }

    /**
     * Overrides the conditions of one directed link (null restores the network-wide ones).
     *
     * @param from sender key
     * @param to   receiver key
     * @param c    conditions, or null
     */
    public void link(final long from, final long to, final LinkConditions c) {
        if (c == null) {
            linkOverrides.remove(from + ">" + to);
        } else {
            linkOverrides.put(from + ">" + to, c);
        }
    }

    /** Ends every fault: partitions, per-link overrides, and network-wide loss, duplication and reordering. */
    public void healAll() {
        side.clear();
        linkOverrides.clear();
        conditions(LinkConditions.CLEAN);
    }

    /** Removes every partition. */
    public void heal() {
        side.clear();
    }

    /**
     * Disconnects a member (crash): its frames in flight and future frames to it are dropped.
     *
     * @param key member key
     */
    public void kill(final long key) {
        receivers.remove(key);
        members.remove(key);
    }

    /** @return frames handed to the network */
    public long sent() {
        return sent;
    }

    /** @return frames dropped (loss, partition, dead destination) */
    public long dropped() {
        return dropped;
    }

    /** @return the time of the earliest frame in flight, or Long.MAX_VALUE */
    public long nextDelivery() {
        final InFlight f = inFlight.peek();
        return f == null ? Long.MAX_VALUE : f.at;
    }

    /**
     * Delivers every frame due at or before {@code nowNs}.
     *
     * @param nowNs virtual time
     * @return frames delivered
     */
    public int deliverDue(final long nowNs) {
        this.now = nowNs;
        int n = 0;
        InFlight f;
        while ((f = inFlight.peek()) != null && f.at <= nowNs) {
            inFlight.poll();
            final FrameReceiver r = receivers.get(f.to);
            if (r != null) {
                r.onFrame(new UnsafeBuffer(f.bytes), 0, f.bytes.length);
                n++;
            }
        }
        return n;
    }

    private void route(final long from, final long to, final DirectBuffer b, final int off, final int len) {
        sent++;
        final byte[] copy = new byte[len];
        b.getBytes(off, copy);
        if (from == to) {
            inFlight.add(new InFlight(now, order++, to, copy));
            return;
        }
        if (!receivers.containsKey(to) || sideOf(from) != sideOf(to)) {
            dropped++;
            return;
        }
        final boolean reliable = provides.contains(Property.RELIABLE);
        final String link = from + ">" + to;
        final LinkConditions c = linkOverrides.getOrDefault(link, conditions);
        if (!reliable && c.loss() > 0) {
            // Gilbert model: after a loss, the next frame is lost with the correlation; otherwise the rate is
            // chosen so that the long-run average stays at c.loss().
            final boolean afterLoss = lastLost.getOrDefault(link, false);
            final double p = c.lossCorrelation() <= 0 ? c.loss() : afterLoss ? c.lossCorrelation()
                : c.loss() * (1 - c.lossCorrelation()) / Math.max(1e-9, 1 - c.loss());
            final boolean lost = random.nextDouble() < p;
            lastLost.put(link, lost);
            if (lost) {
                dropped++;
                return;
            }
        }
        long at = now + c.delayNs() + (c.jitterNs() > 0 ? random.nextLong(c.jitterNs()) : 0);
        if (!reliable && c.reorder() > 0 && random.nextDouble() < c.reorder()) {
            at += random.nextLong(c.reorderDelayNs() + 1);
        }
        if (provides.contains(Property.FIFO)) {
            // A FIFO transport (TCP, RDMA RC) never lets a later frame overtake an earlier one on a link.
            at = Math.max(at, lastOnLink.getOrDefault(link, 0L));
            lastOnLink.put(link, at);
        }
        inFlight.add(new InFlight(at, order++, to, copy));
        if (!reliable && c.duplicate() > 0 && random.nextDouble() < c.duplicate()) {
            inFlight.add(new InFlight(at + random.nextLong(c.delayNs() + 1), order++, to, copy));
        }
    }

    /** @return a transport view of this network for one member */
    Transport transport() {
        return new Transport() {
            @Override
            public String name() {
                return "sim";
            }

            @Override
            public int maxFrameLength() {
                return maxFrameLength;
            }

            @Override
            public Set<Property> provides() {
                return provides;
            }

            @Override
            public TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
                final long me = self.key();
                receivers.put(me, receiver);
                if (!members.contains(me)) {
                    members.add(me);
                }
                return new TransportChannel() {
                    @Override
                    public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
                        if (!receivers.containsKey(me)) {
                            return false;
                        }
                        for (final long to : List.copyOf(members)) {
                            route(me, to, buffer, offset, length);
                        }
                        return true;
                    }

                    @Override
                    public boolean unicast(final long destination, final DirectBuffer buffer, final int offset,
                                           final int length) {
                        if (!receivers.containsKey(me)) {
                            return false;
                        }
                        route(me, destination, buffer, offset, length);
                        return true;
                    }

                    @Override
                    public void close() {
                        kill(me);
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
