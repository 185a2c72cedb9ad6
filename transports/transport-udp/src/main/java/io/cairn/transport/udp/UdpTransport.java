package io.cairn.transport.udp;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.stack.discovery.Discovery;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.ReceivePoller;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * UDP transport: IP multicast on one interface (or unicast fan-out to known peers), bundling frames per destination
 * into datagrams that go out at the end of each stack duty cycle. See the package documentation.
 */
public final class UdpTransport implements Transport {
    /** Transport name in stack files. */
    public static final String NAME = "udp";
    private static final String PATH = "cairn.transport.udp";
    /** A full send buffer: pauses of this long, up to {@link #SEND_WAIT_NS} in all, before a datagram is lost. */
    private static final long SEND_PAUSE_NS = 20_000;
    private static final long SEND_WAIT_NS = 50_000_000;

    private final UdpSettings settings;
    private final String nodeName;
    private final DatagramChannel unicast;
    private final DatagramChannel multicast;
    private final InetSocketAddress localAddress;
    private final ReceiveSide receiveSide;
    /** Bound groups: copy-on-write, read lock-free by the receive threads. */
    private volatile GroupBinding[] groups = new GroupBinding[0];
    /** Member key to its unicast address, learnt from what it sends: copy-on-write. */
    private volatile Long2ObjectHashMap<InetSocketAddress> addresses = new Long2ObjectHashMap<>();
    /** Peers a multicast reaches in unicast mode (discovered, then learnt): copy-on-write. */
    private volatile InetSocketAddress[] peers = new InetSocketAddress[0];
    /** Peers heard from in unicast mode (guarded by this). */
    private final java.util.Set<InetSocketAddress> learnt = new java.util.LinkedHashSet<>();
    /** Peers discovery found last (guarded by this). */
    private List<InetSocketAddress> discovered = List.of();
    private final Discovery discovery;
    private final java.util.concurrent.atomic.AtomicLong sendFailures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sendWaits = new java.util.concurrent.atomic.AtomicLong();

    private record GroupBinding(int groupId, FrameReceiver receiver) {
    }

    /**
     * @param config   the {@code cairn.transport.udp} section
     * @param nodeName for thread names
     */
    public UdpTransport(final Config config, final String nodeName) {
        this.settings = UdpSettings.from(config);
        this.nodeName = nodeName;
        this.discovery = Discovery.from(config, PATH);
        if (settings.multicastMode() && config.hasPath("discovery.type")
            && !config.getString("discovery.type").equals("static")) {
            throw new io.cairn.stack.config.StackConfigException(config.getValue("discovery.type").origin()
                .description() + ": " + PATH + ".discovery.type = " + config.getString("discovery.type")
                + ": discovery is for mode = unicast (IP multicast reaches every member by itself); set "
                + PATH + ".mode = unicast or discovery.type = static");
        }
        try {
            unicast = DatagramChannel.open(StandardProtocolFamily.INET);
            unicast.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBuffer());
            unicast.setOption(StandardSocketOptions.SO_SNDBUF, settings.sendBuffer());
            unicast.bind(new InetSocketAddress(settings.bindAddress(), settings.port()));
            localAddress = (InetSocketAddress) unicast.getLocalAddress();
            if (settings.multicastMode()) {
                final NetworkInterface nif = settings.networkInterface();
                unicast.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                unicast.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.ttl());
                unicast.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                multicast = DatagramChannel.open(StandardProtocolFamily.INET);
                multicast.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                multicast.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBuffer());
                multicast.bind(new InetSocketAddress(settings.multicastGroup().getPort()));
                multicast.join(settings.multicastGroup().getAddress(), nif);
            } else {
                multicast = null;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("udp transport of " + nodeName + ": cannot open sockets on "
                + settings.describe() + " (" + e.getMessage() + "); check cairn.transport.udp", e);
        }
        try {
            final boolean both = multicast != null;
            receiveSide = new ReceiveSide(nodeName,
                both ? new DatagramChannel[] {unicast, multicast} : new DatagramChannel[] {unicast},
                both ? new String[] {"unicast", "multicast"} : new String[] {"unicast"}, this::receiver, this::learn,
                settings.receiveOnStackThread(), settings.fullQueueWaitNs());
        } catch (final IOException e) {
            closeSockets();
            throw new UncheckedIOException("udp transport of " + nodeName + ": cannot set up receiving on "
                + settings.describe() + " (" + e.getMessage() + ")", e);
        }
        try {
            discovery.start(Discovery.advertised(config, PATH, localAddress), localAddress, this::discovered);
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Discovery's new answer: a multicast reaches it and everyone heard from. */
    private synchronized void discovered(final List<InetSocketAddress> found) {
        // The socket is IPv4: an AAAA answer (a dual-stack service) cannot be sent to.
        discovered = found.stream().filter(a -> a.getAddress() instanceof java.net.Inet4Address).toList();
        publishPeers();
    }

    private void publishPeers() {
        final java.util.Set<InetSocketAddress> all = new java.util.LinkedHashSet<>(discovered);
        all.addAll(learnt);
        peers = all.toArray(new InetSocketAddress[0]);
    }

    /** @return the peers a multicast reaches in unicast mode (discovered and heard from), never this node */
    public List<InetSocketAddress> peers() {
        return List.of(peers);
    }

    /** @return the address of this node's unicast socket (what peers list in {@code initial-members}) */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * @return receive statistics: datagrams, frames, malformed, unknown_group, dropped (stack queue full, for 50 ms
     *     on a transport thread), waits (stack queue full, frame held), receive_threads (0: a stack thread reads),
     *     send_failures, send_waits (send buffer full, a pause of 20 us)
     */
    @Override
    public Map<String, Long> stats() {
        final Map<String, Long> out = new TreeMap<>();
        receiveSide.stats(out);
        out.putAll(discovery.stats());
        out.put("send_failures", sendFailures.get());
        out.put("send_waits", sendWaits.get());
        return out;
    }

    @Override
    public ReceivePoller receiveOn(final Object owner) {
        return receiveSide.claim(owner);
    }

    @Override
    public void releaseReceive(final Object owner) {
        receiveSide.release(owner, () -> groups.length > 0);
    }

    /** @return how many transport threads read the sockets (0 while a stack's thread does) */
    public int receiveThreads() {
        return receiveSide.threadCount();
    }

    private FrameReceiver receiver(final int groupId) {
        for (final GroupBinding g : groups) {
            if (g.groupId == groupId) {
                return g.receiver;
            }
        }
        return null;
    }

    private void learn(final long key, final InetSocketAddress from) {
        if (from == null || from.equals(addresses.get(key))) {
            return;
        }
        synchronized (this) {
            final Long2ObjectHashMap<InetSocketAddress> next = new Long2ObjectHashMap<>();
            next.putAll(addresses);
            next.put(key, from);
            addresses = next;
            if (!settings.multicastMode() && !from.equals(localAddress) && learnt.add(from)) {
                publishPeers();
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxFrameLength() {
        return settings.maxDatagram();
    }

    @Override
    public Set<Property> provides() {
        return Set.of();
    }

    @Override
    public TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
        synchronized (this) {
            final GroupBinding[] g = java.util.Arrays.copyOf(groups, groups.length + 1);
            g[groups.length] = new GroupBinding(groupId, receiver);
            groups = g;
        }
        // Outside this lock: the owner may hold the receive side's while it learns an address under this one.
        try {
            receiveSide.bound();
        } catch (final RuntimeException e) {
            unbind(groupId);
            throw e;
        }
        return new Channel(groupId, self.key(), receiver);
    }

    private synchronized void unbind(final int groupId) {
        groups = java.util.Arrays.stream(groups).filter(b -> b.groupId != groupId).toArray(GroupBinding[]::new);
    }

    @Override
    public void close() {
        discovery.close();
        closeSockets();
        receiveSide.close();
    }

    private void closeSockets() {
        try {
            unicast.close();
            if (multicast != null) {
                multicast.close();
            }
        } catch (final IOException ignored) {
            // closing: nothing to do
        }
    }

    /** One group's sending side: a bundle for multicast and one per unicast destination. */
    private final class Channel implements TransportChannel {
        private final int groupId;
        private final FrameReceiver self;
        private final Bundle castBundle = new Bundle(settings.maxDatagram());
        private final Long2ObjectHashMap<Bundle> sendBundles = new Long2ObjectHashMap<>();
        private final List<Bundle> pendingSends = new ArrayList<>();
        private final long selfKey;
        private boolean open = true;
        /** A send waited its longest for room in this duty cycle: the others do not wait. */
        private boolean sendStalled;

        Channel(final int groupId, final long selfKey, final FrameReceiver self) {
            this.groupId = groupId;
            this.selfKey = selfKey;
            this.self = self;
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
            if (!open || length > castBundle.capacity()) {
                return false;
            }
            if (!settings.multicastMode() && !self.onFrame(buffer, offset, length)) {
                // Fan-out loops back frame by frame (multicast mode loops back through the kernel).
                return false;
            }
            if (!castBundle.fits(length)) {
                flushCasts();
                castBundle.fits(length); // grows the emptied buffer if it is still smaller than the frame
            }
            castBundle.add(buffer, offset, length);
            return true;
        }

        @Override
        public boolean unicast(final long destination, final DirectBuffer buffer, final int offset, final int length) {
            if (!open || length > castBundle.capacity()) {
                return false;
            }
            if (destination == selfKey) {
                return self.onFrame(buffer, offset, length);
            }
            if (addresses.get(destination) == null) {
                return false;
            }
            Bundle b = sendBundles.get(destination);
            if (b == null) {
                b = new Bundle(settings.maxDatagram());
                b.destination = destination;
                sendBundles.put(destination, b);
            }
            if (!b.fits(length)) {
                sendTo(b);
                b.fits(length);
            }
            if (b.isEmpty()) {
                pendingSends.add(b);
            }
            b.add(buffer, offset, length);
            return true;
        }

        @Override
        public void flush() {
            sendStalled = false;
            flushCasts();
            for (int i = 0; i < pendingSends.size(); i++) {
                sendTo(pendingSends.get(i));
            }
            pendingSends.clear();
        }

        private void flushCasts() {
            if (castBundle.isEmpty()) {
                return;
            }
            final ByteBuffer out = castBundle.flip();
            if (settings.multicastMode()) {
                transmit(out, settings.multicastGroup());
            } else {
                for (final InetSocketAddress p : peers) {
                    transmit(out.duplicate(), p);
                }
            }
            castBundle.clear();
        }

        private void sendTo(final Bundle b) {
            if (b.isEmpty()) {
                return;
            }
            final InetSocketAddress to = addresses.get(b.destination);
            if (to != null) {
                transmit(b.flip(), to);
            }
            b.clear();
        }

        private void transmit(final ByteBuffer datagram, final InetSocketAddress to) {
            try {
                // The socket is non-blocking (a stack's thread may read it): a full send buffer returns 0. Wait for
                // room a little, as a blocking send would, before the datagram counts as lost; once a wait ran out,
                // the rest of this duty cycle's datagrams are not waited for.
                long deadline = 0;
                while (unicast.send(datagram, to) == 0) {
                    final long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + SEND_WAIT_NS;
                    }
                    if (sendStalled || now >= deadline) {
                        sendStalled = true;
                        sendFailures.incrementAndGet();
                        return;
                    }
                    sendWaits.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(SEND_PAUSE_NS);
                }
            } catch (final IOException | RuntimeException e) {
                // A datagram that cannot go (buffer full, unreachable, an address the socket cannot reach) is lost
                // like any other; reliability layers above resend.
                sendFailures.incrementAndGet();
            }
        }

        @Override
        public void close() {
            open = false;
            unbind(groupId);
        }
    }

    /**
     * Frames gathered for one destination, sent as one datagram. Its buffer starts small and doubles up to the
     * largest datagram as frames need it, so an idle group (one of a thousand) holds kilobytes, not a datagram per
     * peer; once grown it stays, so a busy one allocates nothing more.
     */
    private static final class Bundle {
        private static final int FIRST = 2048;
        private final int max;
        private ByteBuffer buffer;
        private UnsafeBuffer view;
        long destination;

        Bundle(final int max) {
            this.max = max;
            this.buffer = ByteBuffer.allocateDirect(Math.min(max, FIRST));
            this.view = new UnsafeBuffer(buffer);
        }

        int capacity() {
            return max;
        }

        boolean fits(final int length) {
            if (buffer.position() + length <= buffer.capacity()) {
                return true;
            }
            if (buffer.position() + length > max) {
                return false;
            }
            int size = buffer.capacity();
            while (size < buffer.position() + length) {
                size = Math.min(max, size * 2);
            }
            final ByteBuffer bigger = ByteBuffer.allocateDirect(size);
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
            view = new UnsafeBuffer(buffer);
            return true;
        }

        boolean isEmpty() {
            return buffer.position() == 0;
        }

        void add(final DirectBuffer src, final int offset, final int length) {
            view.putBytes(buffer.position(), src, offset, length);
            buffer.position(buffer.position() + length);
        }

        ByteBuffer flip() {
            return buffer.flip();
        }

        void clear() {
            buffer.clear();
        }
    }

    static InetAddress address(final String host) {
        try {
            return InetAddress.getByName(host);
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot resolve " + host, e);
        }
    }
}
