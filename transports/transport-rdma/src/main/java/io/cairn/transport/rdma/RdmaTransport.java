package io.cairn.transport.rdma;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.FrameValidator;
import io.cairn.transport.rdma.verbs.QueuePair;
import io.cairn.transport.rdma.verbs.Verbs;
import io.cairn.transport.rdma.verbs.VerbsException;
import io.cairn.transport.rdma.verbs.disni.DisniAvailability;
import io.cairn.transport.rdma.verbs.disni.DisniVerbs;
import io.cairn.transport.rdma.verbs.emu.EmulatedVerbs;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** RDMA transport: per-peer rings in registered memory written one-sided, with credits. See package doc. */
public final class RdmaTransport implements Transport {
    /** Transport name in stack files. */
    public static final String NAME = "rdma";

    private final String nodeName;
    private final Verbs verbs;
    private final int ringSize;
    private final int maxFrame;
    private final int queueBytes;
    private final long backoffMinNs;
    private final long backoffMaxNs;
    private final long connectTimeoutMs;
    private final List<String> dialList = new ArrayList<>();
    private final Map<String, long[]> dialState = new HashMap<>();
    private final List<RdmaLink> links = new ArrayList<>();
    private volatile Long2ObjectHashMap<RdmaLink> byKey = new Long2ObjectHashMap<>();
    private volatile RdmaLink[] peers = new RdmaLink[0];
    private volatile Binding[] groups = new Binding[0];
    private volatile boolean closed;
    private volatile boolean sleeping;
    private Thread poller;
    private long selfKey;
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong unknownGroup = new AtomicLong();
    final AtomicLong queueFull = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong creditStalls = new AtomicLong();
    final AtomicLong wraps = new AtomicLong();
    final AtomicLong linksOpened = new AtomicLong();
    final AtomicLong linksFailed = new AtomicLong();

    private record Binding(int groupId, FrameReceiver receiver) {
    }

    /**
     * @param c        the {@code cairn.transport.rdma} section
     * @param nodeName default address of the emulated providers, and thread names
     */
    public RdmaTransport(final Config c, final String nodeName) {
        this.nodeName = nodeName;
        this.ringSize = (int) c.getBytes("ring-size").longValue();
        this.maxFrame = (int) c.getBytes("max-frame-size").longValue();
        this.queueBytes = Integer.highestOneBit((int) c.getBytes("send-queue").longValue());
        this.backoffMinNs = c.getDuration("reconnect-min", TimeUnit.NANOSECONDS);
        this.backoffMaxNs = c.getDuration("reconnect-max", TimeUnit.NANOSECONDS);
        this.connectTimeoutMs = c.getDuration("connect-timeout", TimeUnit.MILLISECONDS);
        if (Integer.bitCount(ringSize) != 1 || maxFrame < 1024 || ringSize < 4 * (maxFrame + 8)
            || queueBytes < 2 * maxFrame || backoffMinNs <= 0 || backoffMaxNs < backoffMinNs) {
            throw new IllegalArgumentException("cairn.transport.rdma: ring-size a power of two >= 4 x "
                + "max-frame-size, max-frame-size >= 1K, send-queue >= 2 x max-frame-size, "
                + "0 < reconnect-min <= reconnect-max");
        }
        final String provider = c.getString("provider");
        final String address = c.getString("address").isEmpty() ? nodeName : c.getString("address");
        this.verbs = openVerbs(provider, address, c);
        final List<String> initial = c.getStringList("initial-members");
        final boolean listed = initial.contains(address);
        for (final String a : initial) {
            if (!a.equals(address) && (!listed || a.compareTo(address) < 0)) {
                dialList.add(a);
            }
        }
    }

    private static Verbs openVerbs(final String provider, final String address, final Config c) {
        try {
            switch (provider) {
                case "disni" -> {
                    final List<String> problems = DisniAvailability.problems();
                    if (!problems.isEmpty()) {
                        throw new RdmaUnavailableException(problems);
                    }
                    return new DisniVerbs(address);
                }
                case "soft", "shm" -> {
                    if (!address.matches("[A-Za-z0-9._:-]+")) {
                        throw new IllegalArgumentException("cairn.transport.rdma.address: '" + address
                            + "' must be letters, digits, '.', '_', ':' or '-' for provider " + provider);
                    }
                    final Config e = c.getConfig("emulation");
                    return new EmulatedVerbs(provider, Path.of(c.getString("shm-directory")), address,
                        Integer.highestOneBit((int) e.getBytes("event-ring").longValue()),
                        (int) e.getBytes("arena").longValue(),
                        e.getDuration("completion-delay", TimeUnit.NANOSECONDS));
                }
                default -> throw new IllegalArgumentException("cairn.transport.rdma.provider: unknown provider '"
                    + provider + "'; expected disni, soft or shm");
            }
        } catch (final VerbsException e) {
            throw new IllegalStateException("rdma transport: " + e.getMessage(), e);
        }
    }

    /** @return the verbs device (tests reach the emulation's hooks through it) */
    public Verbs verbs() {
        return verbs;
    }

    /**
     * @return statistics: frames, malformed, unknown_group, queue_full, credit_stalls, ring_wraps, links,
     *     links_failed
     */
    @Override
    public Map<String, Long> stats() {
        final Map<String, Long> m = new TreeMap<>();
        m.put("frames", frames.get());
        m.put("malformed", malformed.get());
        m.put("unknown_group", unknownGroup.get());
        m.put("queue_full", queueFull.get());
        m.put("credit_stalls", creditStalls.get());
        m.put("ring_wraps", wraps.get());
        m.put("links", linksOpened.get());
        m.put("links_failed", linksFailed.get());
        return m;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxFrameLength() {
        return maxFrame;
    }

    @Override
    public Set<Property> provides() {
        return Set.of(Property.RELIABLE, Property.FIFO);
    }

    @Override
    public synchronized TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
        final Binding[] g = Arrays.copyOf(groups, groups.length + 1);
        g[groups.length] = new Binding(groupId, receiver);
        groups = g;
        if (poller == null) {
            selfKey = self.key();
            poller = new Thread(this::pollLoop, "cairn-rdma-" + nodeName);
            poller.setDaemon(true);
            poller.start();
        }
        return new Channel(groupId, receiver);
    }

    private synchronized void unbind(final int groupId) {
        groups = Arrays.stream(groups).filter(b -> b.groupId != groupId).toArray(Binding[]::new);
    }

    /** Called by links on the transport thread: hands a frame to its group's stack. */
    boolean deliver(final RdmaLink link, final DirectBuffer b, final int offset, final int length) {
        final int groupId = b.getInt(offset + FrameHeader.GROUP_OFFSET, ByteOrder.LITTLE_ENDIAN);
        for (final Binding g : groups) {
            if (g.groupId == groupId) {
                learn(link, b, offset, length, groupId);
                if (!g.receiver.onFrame(b, offset, length)) {
                    return false;
                }
                frames.lazySet(frames.get() + 1);
                return true;
            }
        }
        unknownGroup.incrementAndGet();
        return true;
    }

    /**
     * A member key first seen on a link is routed over it: a group that rejoined as a new incarnation has a new
     * key, and unicasts to it must still find the node's link. Learnt only from well-formed frames.
     */
    private void learn(final RdmaLink link, final DirectBuffer b, final int offset, final int length,
                       final int groupId) {
        // The sealer of a sealed frame, the sender of a plain one; 0 when not well formed.
        final long sender = FrameValidator.linkPeer(b, offset, length, groupId);
        final RdmaLink known = byKey.get(sender);
        if (known == link || known != null && !known.broken || sender == selfKey || !link.ready || sender == 0) {
            return;
        }
        final Long2ObjectHashMap<RdmaLink> m = new Long2ObjectHashMap<>(byKey);
        m.put(sender, link);
        publish(m);
    }

    private void publish(final Long2ObjectHashMap<RdmaLink> m) {
        // A link may be known under several keys (incarnations): a multicast goes over it once.
        byKey = m;
        peers = m.values().stream().distinct().toArray(RdmaLink[]::new);
    }

    /** A link's hello arrived: the first link to a peer carries its frames (so FIFO never switches links). */
    void linkReady(final RdmaLink link) {
        final RdmaLink current = byKey.get(link.peerKey);
        if (current != null && !current.broken) {
            return;
        }
        final Long2ObjectHashMap<RdmaLink> m = new Long2ObjectHashMap<>(byKey);
        m.put(link.peerKey, link);
        publish(m);
        linksOpened.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            LockSupport.unpark(poller);
            try {
                poller.join(2000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (final RdmaLink l : links) {
            l.close();
        }
        verbs.close();
    }

    // ------------------------------------------------------------------ transport thread

    private void pollLoop() {
        for (final String a : dialList) {
            dialState.put(a, new long[] {0, backoffMinNs});
        }
        int idle = 0;
        while (!closed) {
            int work = 0;
            QueuePair qp;
            while ((qp = verbs.accept()) != null) {
                open(qp, null);
                work++;
            }
            work += dialDue();
            for (int i = 0; i < links.size(); i++) {
                final RdmaLink l = links.get(i);
                try {
                    work += l.doWork();
                } catch (final RuntimeException e) {
                    // A provider fault ends this link, never the transport's thread.
                    System.getLogger("io.cairn.transport.rdma").log(System.Logger.Level.WARNING,
                        "rdma transport of " + nodeName + ": link to " + l.qp.peerAddress() + " failed", e);
                    l.broken = true;
                }
                if (l.broken) {
                    fail(l);
                    links.remove(i--);
                }
            }
            if (work > 0) {
                idle = 0;
            } else if (++idle > 200) {
                // Idle: sleep briefly. Peers write one-sided and cannot wake this thread; stacks can (flush).
                sleeping = true;
                LockSupport.parkNanos(Math.min(200_000L, 1_000L << Math.min(idle - 200, 8)));
                sleeping = false;
            } else if (idle > 100) {
                Thread.yield();
            }
        }
    }

    private int dialDue() {
        final long now = System.nanoTime();
        int n = 0;
        for (final Map.Entry<String, long[]> d : dialState.entrySet()) {
            final long[] st = d.getValue();
            if (st[0] < 0 || now < st[0]) {
                continue;
            }
            n++;
            try {
                open(verbs.connect(d.getKey(), connectTimeoutMs), d.getKey());
                st[0] = -1;
                st[1] = backoffMinNs;
            } catch (final VerbsException e) {
                st[0] = now + st[1];
                st[1] = Math.min(backoffMaxNs, 2 * st[1]);
            }
        }
        return n;
    }

    private void open(final QueuePair qp, final String dialled) {
        try {
            final RdmaLink l = new RdmaLink(this, qp, verbs.register(RdmaLink.regionLength(ringSize)), ringSize,
                maxFrame, queueBytes, dialled);
            links.add(l);
            l.start(selfKey);
        } catch (final VerbsException e) {
            qp.close();
            System.getLogger("io.cairn.transport.rdma").log(System.Logger.Level.WARNING,
                "rdma transport of " + nodeName + ": cannot open a link to " + qp.peerAddress() + ": "
                    + e.getMessage());
            if (dialled != null) {
                redial(dialled);
            }
        }
    }

    /** A queue pair failed: the peer is treated as failed (its frames are dropped) and dialled again. */
    private void fail(final RdmaLink l) {
        linksFailed.incrementAndGet();
        l.close();
        verbs.release(l.mr);
        if (byKey.containsValue(l)) {
            final Long2ObjectHashMap<RdmaLink> m = new Long2ObjectHashMap<>(byKey);
            m.values().removeIf(x -> x == l);
            publish(m);
        }
        if (l.dialledAddress != null) {
            redial(l.dialledAddress);
        }
    }

    private void redial(final String address) {
        final long[] st = dialState.get(address);
        if (st != null) {
            st[0] = System.nanoTime() + st[1];
            st[1] = Math.min(backoffMaxNs, 2 * st[1]);
        }
    }

    // ------------------------------------------------------------------ stack side

    private final class Channel implements TransportChannel {
        private final int groupId;
        private final FrameReceiver self;

        Channel(final int groupId, final FrameReceiver self) {
            this.groupId = groupId;
            this.self = self;
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
            boolean ok = self.onFrame(buffer, offset, length);
            for (final RdmaLink l : peers) {
                ok &= offer(l, buffer, offset, length);
            }
            return ok;
        }

        @Override
        public boolean unicast(final long destination, final DirectBuffer buffer, final int offset, final int length) {
            if (destination == selfKey) {
                return self.onFrame(buffer, offset, length);
            }
            final RdmaLink l = byKey.get(destination);
            return l != null && offer(l, buffer, offset, length);
        }

        private boolean offer(final RdmaLink l, final DirectBuffer buffer, final int offset, final int length) {
            if (l.offer(buffer, offset, length)) {
                return true;
            }
            queueFull.incrementAndGet();
            return false;
        }

        @Override
        public boolean isWritable() {
            for (final RdmaLink l : peers) {
                if (l.halfFull()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void flush() {
            if (sleeping) {
                LockSupport.unpark(poller);
            }
        }

        @Override
        public void close() {
            unbind(groupId);
        }
    }
}
