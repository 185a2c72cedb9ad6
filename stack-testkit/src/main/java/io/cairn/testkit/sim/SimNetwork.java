package io.cairn.testkit.sim;

import io.cairn.api.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.wire.FrameHeader;
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
 * duplication, reordering, delay and jitter (network-wide, or per direction of a link between two hosts), lossy or
 * slow loopback per host, connection resets, partitions into sides, and dead members. Every random choice comes
 * from one seeded generator, consumed in the deterministic order the simulator runs members in.
 *
 * <p>Faults name hosts (member indexes), not incarnations: a member restarted as a new incarnation keeps its
 * host's links, loopback and resets, as a process restarted on the same machine would.
 */
public final class SimNetwork {
    /** Why a frame was dropped. */
    public enum Drop {
        /** Link loss (unreliable transports only). */
        LOSS,
        /** Loss of a member's own copy (lossy loopback, unreliable transports only). */
        LOOPBACK,
        /** Sender and receiver are on different sides of a partition. */
        PARTITION,
        /** The receiver crashed or exited. */
        DEAD,
        /** In flight on a link when its connection was reset, or sent while it was down. */
        RESET
    }

    private static final int CAPTURED = 512;

    private record InFlight(long at, long order, int group, long from, long to, byte[] bytes) {
    }

    /** One group's endpoints: a process runs a stack per group, each bound under the same member key. */
    private static final class Group {
        final List<Long> members = new ArrayList<>();
        final Map<Long, FrameReceiver> receivers = new HashMap<>();
    }

    private record Link(long from, long to) {
    }

    private final SplittableRandom random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((x, y) ->
        x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    /** Endpoints by group id, in id order (the order replays and forgeries reach them in). */
    private final java.util.TreeMap<Integer, Group> groups = new java.util.TreeMap<>();
    private final Map<Integer, Integer> side = new HashMap<>();
    private final Map<Long, Integer> hostOf = new HashMap<>();
    private final Map<Link, Long> lastOnLink = new HashMap<>();
    /** Directed link overrides by host pair. */
    private final Map<Link, LinkConditions> linkOverrides = new HashMap<>();
    private final Map<Link, Boolean> lastLost = new HashMap<>();
    /** Loopback conditions by host. */
    private final Map<Integer, LinkConditions> loopback = new HashMap<>();
    /** Broken connections: host pair (smaller first) to the time it reconnects. */
    private final Map<Link, Long> downUntil = new HashMap<>();
    private final long[] drops = new long[Drop.values().length];
    private final Set<Property> provides;
    private final int maxFrameLength;
    /** The last frames that crossed a link, for replays and forgeries (F17, F18): a ring of {@link #CAPTURED}. */
    private final byte[][] captured = new byte[CAPTURED][];
    private long capturedCount;
    /** Forgeries and replays draw from their own generator, so a run with them makes every other choice alike. */
    private final SplittableRandom attacker;
    private long injected;
    private LinkConditions conditions = LinkConditions.CLEAN;
    private long order;
    private long now;
    private long sent;

    /**
     * @param seed           seed of every network decision
     * @param maxFrameLength largest frame
     * @param provides       what the emulated transport guarantees (its frames are then never lost or reordered)
     */
    public SimNetwork(final long seed, final int maxFrameLength, final Set<Property> provides) {
        this.random = new SplittableRandom(seed);
        this.attacker = new SplittableRandom(seed ^ 0xA77AC4E5L);
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

    private int hostOf(final long key) {
        return hostOf.getOrDefault(key, -1);
    }

    /**
     * Overrides the conditions of one direction of the link between two hosts (null restores the network-wide
     * ones). Loss, duplication and reordering apply on unreliable transports; delay and jitter on all.
     *
     * @param fromHost sender's host
     * @param toHost   receiver's host
     * @param c        conditions, or null
     */
    public void link(final int fromHost, final int toHost, final LinkConditions c) {
        if (c == null) {
            linkOverrides.remove(new Link(fromHost, toHost));
        } else {
            linkOverrides.put(new Link(fromHost, toHost), c);
        }
    }

    /**
     * Gives a host's own copies (a multicast's loopback, a unicast to itself) their own conditions: loss on
     * unreliable transports, delay on all (a full inbound ring, a slow kernel loopback). Null restores the
     * immediate, lossless loopback.
     *
     * @param host the host
     * @param c    conditions, or null
     */
    public void loopback(final int host, final LinkConditions c) {
        if (c == null) {
            loopback.remove(host);
        } else {
            loopback.put(host, c);
        }
    }

    /**
     * Breaks the connection between two hosts, as a TCP reset or an RDMA queue pair in the error state does: the
     * frames in flight on it in both directions are lost, and so is every frame sent over it until it reconnects
     * {@code downNs} later (multicasts skip the peer, unicasts to it are refused). Like the real transports, this
     * tells the stacks nothing: they learn of the loss from the gap in what arrives next ({@code relay} asks the
     * origin to fill it) or from their failure detector.
     *
     * @param hostA  one end
     * @param hostB  the other end
     * @param nowNs  the time of the reset
     * @param downNs how long until it reconnects
     * @return the frames in flight that were lost
     */
    public int reset(final int hostA, final int hostB, final long nowNs, final long downNs) {
        final Link pair = pair(hostA, hostB);
        downUntil.merge(pair, nowNs + downNs, Math::max);
        final List<InFlight> lost = new ArrayList<>();
        for (final InFlight f : inFlight) {
            if (f.from != f.to && pair.equals(pair(hostOf(f.from), hostOf(f.to)))) {
                lost.add(f);
            }
        }
        inFlight.removeAll(lost);
        drops[Drop.RESET.ordinal()] += lost.size();
        lastOnLink.keySet().removeIf(l -> pair.equals(pair(hostOf(l.from), hostOf(l.to))));
        return lost.size();
    }

    private static Link pair(final int a, final int b) {
        return new Link(Math.min(a, b), Math.max(a, b));
    }

    private boolean down(final long from, final long to) {
        final Long until = downUntil.get(pair(hostOf(from), hostOf(to)));
        return until != null && until > now;
    }

    /**
     * Ends every fault: partitions, per-link and loopback overrides, broken connections, and network-wide loss,
     * duplication and reordering.
     */
    public void healAll() {
        side.clear();
        linkOverrides.clear();
        loopback.clear();
        downUntil.clear();
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
        for (final int g : groups.keySet()) {
            kill(g, key);
        }
    }

    /**
     * Disconnects a member from one group (its stack for that group stopped; the process and its other groups
     * go on).
     *
     * @param groupId the group's id
     * @param key     member key
     */
    public void kill(final int groupId, final long key) {
        final Group g = groups.get(groupId);
        if (g != null) {
            g.receivers.remove(key);
            g.members.remove(key);
        }
    }

    private Group group(final int groupId) {
        return groups.computeIfAbsent(groupId, x -> new Group());
    }

    /** @return frames handed to the network */
    public long sent() {
        return sent;
    }

    /** @return frames dropped for any reason */
    public long dropped() {
        long n = 0;
        for (final long d : drops) {
            n += d;
        }
        return n;
    }

    /**
     * @param why a cause
     * @return frames dropped for that cause
     */
    public long dropped(final Drop why) {
        return drops[why.ordinal()];
    }

    private void drop(final Drop why) {
        drops[why.ordinal()]++;
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
            final FrameReceiver r = group(f.group).receivers.get(f.to);
            if (r != null) {
                r.onFrame(new UnsafeBuffer(f.bytes), 0, f.bytes.length);
                n++;
            }
        }
        return n;
    }

    /**
     * Re-injects {@code count} frames captured on the links earlier (any view so far) into every member on
     * {@code host}, as a replaying attacker would (F18). Does nothing before a frame has been captured.
     *
     * @param host  the target
     * @param count frames
     * @return frames injected
     */
    public int replay(final int host, final int count) {
        return inject(host, count, false);
    }

    /**
     * Injects {@code count} frames forged from captured ones into every member on {@code host}, as a process
     * without the group's key would (F17): a real member's key written as the sender, the view tag, flags, layer id
     * or a byte of the body changed, a sealed frame sent unsealed, or a frame of another member sent as this one.
     *
     * @param host  the target
     * @param count frames
     * @return frames injected
     */
    public int forge(final int host, final int count) {
        return inject(host, count, true);
    }

    /** @return frames injected by {@link #replay} and {@link #forge} */
    public long injected() {
        return injected;
    }

    private int inject(final int host, final int count, final boolean forge) {
        final int available = (int) Math.min(capturedCount, CAPTURED);
        if (available == 0) {
            return 0;
        }
        // Every stack on the host, of every group: a frame captured in one group is replayed into all of them.
        final List<long[]> targets = new ArrayList<>();
        for (final Map.Entry<Integer, Group> g : groups.entrySet()) {
            final List<Long> keys = new ArrayList<>();
            for (final Map.Entry<Long, Integer> e : hostOf.entrySet()) {
                if (e.getValue() == host && g.getValue().receivers.containsKey(e.getKey())) {
                    keys.add(e.getKey());
                }
            }
            keys.sort(null);
            keys.forEach(k -> targets.add(new long[] {g.getKey(), k}));
        }
        int n = 0;
        for (int i = 0; i < count; i++) {
            final byte[] original = captured[attacker.nextInt(available)];
            final byte[] frame = forge ? forged(original) : original.clone();
            for (final long[] to : targets) {
                // At once, ahead of nothing: ties keep their order, so later frames keep theirs.
                inFlight.add(new InFlight(now, order++, (int) to[0], 0, to[1], frame));
                injected++;
                n++;
            }
        }
        return n;
    }

    private byte[] forged(final byte[] original) {
        final byte[] f = original.clone();
        final UnsafeBuffer b = new UnsafeBuffer(f);
        final List<Long> members = groups.isEmpty() ? List.of() : groups.firstEntry().getValue().members;
        final long someMember = members.isEmpty() ? 0 : members.get(attacker.nextInt(members.size()));
        switch (attacker.nextInt(6)) {
            case 0 -> b.putLong(FrameHeader.SENDER_OFFSET, someMember, FrameHeader.ORDER);
            case 1 -> b.putLong(FrameHeader.VIEW_TAG_OFFSET, b.getLong(FrameHeader.VIEW_TAG_OFFSET, FrameHeader.ORDER)
                + 1 + attacker.nextInt(3), FrameHeader.ORDER);
            case 2 -> {
                if (f.length > FrameHeader.LENGTH) {
                    f[FrameHeader.LENGTH + attacker.nextInt(f.length - FrameHeader.LENGTH)] ^= (byte) (1 + attacker
                        .nextInt(255));
                }
            }
            case 3 -> f[FrameHeader.FLAGS_OFFSET] ^= (byte) FrameHeader.FLAG_SEALED;
            case 4 -> b.putShort(FrameHeader.LAYER_ID_OFFSET, (short) (1 + attacker.nextInt(100)), FrameHeader.ORDER);
            default -> {
                // Sender spoofed and a body byte changed: a rogue's own frame passed off as a member's.
                b.putLong(FrameHeader.SENDER_OFFSET, someMember, FrameHeader.ORDER);
                if (f.length > FrameHeader.LENGTH) {
                    f[f.length - 1] ^= (byte) (1 + attacker.nextInt(255));
                }
            }
        }
        return f;
    }

    /** @return false when the frame was refused (its connection is down), as the real transports' unicast does */
    private boolean route(final Group g, final int group, final long from, final long to, final DirectBuffer b,
                          final int off, final int len) {
        sent++;
        final byte[] copy = new byte[len];
        b.getBytes(off, copy);
        final LinkConditions c;
        if (from == to) {
            c = loopback.get(hostOf(from));
            if (c == null) {
                inFlight.add(new InFlight(now, order++, group, from, to, copy));
                return true;
            }
        } else if (!g.receivers.containsKey(to)) {
            drop(Drop.DEAD);
            return true;
        } else if (sideOf(from) != sideOf(to)) {
            drop(Drop.PARTITION);
            return true;
        } else if (down(from, to)) {
            drop(Drop.RESET);
            return false;
        } else {
            c = linkOverrides.getOrDefault(new Link(hostOf(from), hostOf(to)), conditions);
        }
        final boolean reliable = provides.contains(Property.RELIABLE);
        final Link link = new Link(from, to);
        if (!reliable && c.loss() > 0) {
            // Gilbert model: after a loss, the next frame is lost with the correlation; otherwise the rate is
            // chosen so that the long-run average stays at c.loss().
            final boolean afterLoss = lastLost.getOrDefault(link, false);
            final double p = c.lossCorrelation() <= 0 ? c.loss() : afterLoss ? c.lossCorrelation()
                : c.loss() * (1 - c.lossCorrelation()) / Math.max(1e-9, 1 - c.loss());
            final boolean lost = random.nextDouble() < p;
            lastLost.put(link, lost);
            if (lost) {
                drop(from == to ? Drop.LOOPBACK : Drop.LOSS);
                return true;
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
        inFlight.add(new InFlight(at, order++, group, from, to, copy));
        captured[(int) (capturedCount++ % CAPTURED)] = copy;
        if (!reliable && c.duplicate() > 0 && random.nextDouble() < c.duplicate()) {
            inFlight.add(new InFlight(at + random.nextLong(c.delayNs() + 1), order++, group, from, to, copy));
        }
        return true;
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
                final Group g = group(groupId);
                g.receivers.put(me, receiver);
                if (!g.members.contains(me)) {
                    g.members.add(me);
                }
                return new TransportChannel() {
                    @Override
                    public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
                        if (!g.receivers.containsKey(me)) {
                            return false;
                        }
                        for (final long to : List.copyOf(g.members)) {
                            route(g, groupId, me, to, buffer, offset, length);
                        }
                        return true;
                    }

                    @Override
                    public boolean unicast(final long destination, final DirectBuffer buffer, final int offset,
                                           final int length) {
                        if (!g.receivers.containsKey(me)) {
                            return false;
                        }
                        return route(g, groupId, me, destination, buffer, offset, length);
                    }

                    @Override
                    public void close() {
                        kill(groupId, me);
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
