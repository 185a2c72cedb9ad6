package io.cairn.transport.tcp;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.stack.discovery.Discovery;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.ReceivePoller;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.FrameValidator;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** TCP transport: one connection per peer node, length-delimited frames, reconnect with backoff. See package doc. */
public final class TcpTransport implements Transport {
    /** Transport name in stack files. */
    public static final String NAME = "tcp";
    private static final String PATH = "cairn.transport.tcp";

    private final String nodeName;
    private final int maxFrame;
    private final int queueBytes;
    /** Whom to dial and when (I/O loop only). */
    private final DialSchedule dials;
    private final Discovery discovery;
    private final ServerSocketChannel server;
    final Selector selector;
    private final InetSocketAddress localAddress;
    private final List<Connection> connections = new ArrayList<>();
    volatile Long2ObjectHashMap<Connection> byKey = new Long2ObjectHashMap<>();
    /** The same connections as {@link #byKey}, for stack threads to iterate without sharing an iterator. */
    volatile Connection[] peers = new Connection[0];
    private volatile Binding[] groups = new Binding[0];
    private volatile boolean closed;
    /** The parser's handler, reused for every connection (I/O loop only). */
    private final Inbound inbound = new Inbound();
    /** Who runs the I/O loop: a stack's thread, or the transport's own. */
    private final IoSide ioSide;
    /** What the selector hands each ready key to (I/O loop only). */
    private final java.util.function.Consumer<SelectionKey> onKey = this::handle;
    /** Keys handled in the current turn, and whether a connection's input waits for a stack (I/O loop only). */
    private int handled;
    private boolean stalledInput;
    private volatile long selfKey;
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong unknownGroup = new AtomicLong();
    final AtomicLong queueFull = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong connectionsOpened = new AtomicLong();
    /** TLS for every connection, or null when {@code tls.enabled = false}. */
    private final TlsContext tls;
    /** The TLS side of the I/O loop, or null without TLS. */
    private final TlsLinks tlsLinks;

    private record Binding(int groupId, FrameReceiver receiver) {
    }

    /**
     * @param c        the {@code cairn.transport.tcp} section
     * @param nodeName for thread names
     */
    public TcpTransport(final Config c, final String nodeName) {
        this.nodeName = nodeName;
        this.maxFrame = (int) c.getBytes("max-frame-size").longValue();
        this.queueBytes = Integer.highestOneBit((int) c.getBytes("send-queue").longValue());
        final long backoffMinNs = c.getDuration("reconnect-min", TimeUnit.NANOSECONDS);
        final long backoffMaxNs = c.getDuration("reconnect-max", TimeUnit.NANOSECONDS);
        if (maxFrame < 1024 || queueBytes < 2 * maxFrame || backoffMinNs <= 0 || backoffMaxNs < backoffMinNs) {
            throw new IllegalArgumentException("cairn.transport.tcp: max-frame-size >= 1K, send-queue >= 2 x "
                + "max-frame-size, 0 < reconnect-min <= reconnect-max");
        }
        // Before any socket is opened: a bad key store fails the node's start with the file and the fix.
        final TlsSettings tlsSettings = TlsSettings.from(c);
        this.tls = tlsSettings.enabled() ? TlsContext.load(tlsSettings) : null;
        this.tlsLinks = tls != null ? new TlsLinks(this, nodeName) : null;
        this.discovery = Discovery.from(c, PATH);
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getByName(c.getString("bind-address")), c.getInt("port")));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            localAddress = (InetSocketAddress) server.getLocalAddress();
            dials = new DialSchedule(localAddress, backoffMinNs, backoffMaxNs);
        } catch (final IOException e) {
            throw new UncheckedIOException("tcp transport of " + nodeName + ": cannot listen on "
                + c.getString("bind-address") + ":" + c.getInt("port") + " (" + e.getMessage()
                + "); check cairn.transport.tcp.bind-address and port", e);
        }
        // With TLS the loop stays on its own thread: a handshake's crypto must not hold up a stack's cycle.
        this.ioSide = new IoSide(nodeName, new IoSide.Turn() {
            @Override
            public int turn(final boolean block) throws IOException {
                return TcpTransport.this.turn(block);
            }

            @Override
            public boolean stalled() {
                return stalledInput;
            }

            @Override
            public void writePending() {
                TcpTransport.this.writePending();
            }
        }, selector, c.getBoolean("io-on-stack-thread") && tls == null);
        try {
            discovery.start(Discovery.advertised(c, PATH, localAddress), localAddress, found -> {
                dials.discovered(found);
                selector.wakeup();
            });
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the peers discovery found last (never this node) */
    public List<InetSocketAddress> discoveredPeers() {
        return discovery.peers();
    }

    /** @return the listening address (what peers list in {@code initial-members}) */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** @return statistics: frames, malformed, unknown_group, queue_full, receive_stalls, connections */
    @Override
    public Map<String, Long> stats() {
        final Map<String, Long> m = new TreeMap<>();
        m.put("frames", frames.get());
        m.put("malformed", malformed.get());
        m.put("unknown_group", unknownGroup.get());
        m.put("queue_full", queueFull.get());
        m.put("receive_stalls", stalls.get());
        m.put("connections", connectionsOpened.get());
        if (tls != null) {
            m.put("tls_handshakes", tlsLinks.handshakes.get());
            m.put("tls_handshake_failures", tlsLinks.handshakeFailures.get());
            m.put("tls_reloads", tls.reloads.get());
            m.put("tls_reload_failures", tls.reloadFailures.get());
        }
        m.putAll(discovery.stats());
        return m;
    }

    /** @return the serial of the certificate this node presented in its last finished TLS handshake, or null */
    java.math.BigInteger tlsLocalSerial() {
        return tlsLinks == null ? null : tlsLinks.localSerial;
    }

    /** @return the serial of the peer's certificate in this node's last finished TLS handshake, or null */
    java.math.BigInteger tlsPeerSerial() {
        return tlsLinks == null ? null : tlsLinks.peerSerial;
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
    public ReceivePoller receiveOn(final Object owner) {
        return ioSide.claim(owner);
    }

    @Override
    public void releaseReceive(final Object owner) {
        ioSide.release(owner);
    }

    /** @return whether the transport's own thread runs the I/O loop (false while a stack's thread does) */
    public boolean ioThreadRuns() {
        return ioSide.threaded();
    }

    @Override
    public synchronized TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
        final Binding[] g = java.util.Arrays.copyOf(groups, groups.length + 1);
        g[groups.length] = new Binding(groupId, receiver);
        groups = g;
        if (selfKey == 0) {
            // The node's identity is known at the first bind: connecting and accepting start now.
            selfKey = self.key();
        }
        ioSide.bound();
        return new TcpChannel(this, groupId, self.key(), receiver);
    }

    /** A stack queued frames and ends its cycle: see {@link IoSide#queued}. */
    void queued() {
        ioSide.queued();
    }

    synchronized void unbind(final int groupId) {
        groups = java.util.Arrays.stream(groups).filter(b -> b.groupId != groupId).toArray(Binding[]::new);
    }

    private FrameReceiver receiver(final int groupId) {
        for (final Binding b : groups) {
            if (b.groupId == groupId) {
                return b.receiver;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        discovery.close();
        ioSide.close(() -> connections.forEach(Connection::close));
        try {
            server.close();
            selector.close();
        } catch (final IOException ignored) {
            // closing
        }
    }

    // ------------------------------------------------------------------ I/O loop (one thread at a time: IoSide)

    /**
     * One turn: dials what is due, moves stalled input on, handles the ready channels (waiting for them first
     * when {@code block}, unless input is stalled), then writes what the stacks queued.
     */
    private int turn(final boolean block) throws IOException {
        final long wait = dials.run(this::dial);
        boolean stalled = false;
        for (int i = 0; i < connections.size(); i++) {
            final Connection c = connections.get(i);
            if (c.stalled && !c.closed) {
                parse(c);
                stalled |= c.stalled;
            }
        }
        stalled |= tlsLinks != null && tlsLinks.backlog(connections);
        stalledInput = stalled;
        handled = 0;
        if (block && !stalled) {
            selector.select(onKey, wait);
        } else {
            selector.selectNow(onKey);
        }
        writePending();
        return handled;
    }

    private void writePending() {
        for (int i = 0; i < connections.size(); i++) {
            final Connection c = connections.get(i);
            if (!c.closed && c.helloReceived && c.pending()) {
                write(c);
            }
        }
    }

    private void dial(final InetSocketAddress to) {
        SocketChannel ch = null;
        Connection c = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c = new Connection(ch, to, queueBytes, maxFrame,
                tls == null ? null : tls.newEngine(true, to, System.nanoTime()));
            connections.add(c);
            if (ch.connect(to)) {
                established(c);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (final IOException | RuntimeException e) {
            // Refused at once, an address that does not resolve: closed, and dialled again after the backoff.
            if (c != null) {
                drop(c);
            } else {
                closeQuietly(ch);
                dials.failed(to);
            }
        }
    }

    private static void closeQuietly(final SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (final IOException ignored) {
                // never opened
            }
        }
    }

    private void established(final Connection c) throws IOException {
        connectionsOpened.incrementAndGet();
        final ByteBuffer hello = ByteBuffer.allocate(Connection.HELLO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        Connection.writeHello(hello, selfKey, localAddress.getPort());
        hello.flip();
        if (c.tls != null) {
            tlsLinks.established(c, hello);
            return;
        }
        while (hello.hasRemaining()) {
            c.channel.write(hello);
        }
        c.channel.register(selector, SelectionKey.OP_READ, c);
    }

    /** Drops a connection that broke; a TLS failure is counted and logged first (see {@link TlsLinks#failed}). */
    void fail(final Connection c, final Exception e) {
        if (tlsLinks != null) {
            tlsLinks.failed(c, e);
        }
        drop(c);
    }

    private void handle(final SelectionKey k) {
        handled++;
        if (!k.isValid()) {
            return;
        }
        if (k.isAcceptable()) {
            SocketChannel ch = null;
            Connection c = null;
            try {
                ch = server.accept();
                if (ch != null) {
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c = new Connection(ch, null, queueBytes, maxFrame,
                        tls == null ? null : tls.newEngine(false, null, System.nanoTime()));
                    connections.add(c);
                    established(c);
                }
            } catch (final IOException | RuntimeException e) {
                // the peer went away during accept
                if (c != null) {
                    drop(c);
                } else {
                    closeQuietly(ch);
                }
            }
            return;
        }
        final Connection c = (Connection) k.attachment();
        try {
            if (k.isConnectable()) {
                c.channel.finishConnect();
                established(c);
                return;
            }
            if (k.isReadable()) {
                read(c);
            }
            if (k.isValid() && k.isWritable()) {
                write(c);
            }
        } catch (final IOException | RuntimeException e) {
            fail(c, e);
        }
    }

    void write(final Connection c) {
        try {
            if (c.tls != null && !c.tls.handshakeDone()) {
                tlsLinks.pump(c);
                return;
            }
            final boolean done = c.drain();
            final SelectionKey k = c.channel.keyFor(selector);
            if (k != null && k.isValid()) {
                k.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (final IOException e) {
            fail(c, e);
        }
    }

    private void read(final Connection c) throws IOException {
        if (c.tls != null) {
            tlsLinks.read(c);
            return;
        }
        final int n = c.channel.read(c.in);
        if (n < 0) {
            drop(c);
            return;
        }
        parse(c);
    }

    /**
     * Hands the complete frames in the connection's buffer to their stacks. When a stack's inbound queue is full
     * the connection stalls: nothing more is read from its socket until the frame is taken, so TCP's own flow
     * control slows the sender instead of frames being dropped and retransmitted.
     */
    void parse(final Connection c) {
        c.stalled = false;
        c.in.flip();
        inbound.c = c;
        final int pos = StreamParser.parse(c.inView, c.in.limit(), c.helloReceived, maxFrame, inbound);
        if (pos == StreamParser.DROP) {
            return;
        }
        c.in.position(pos);
        c.in.compact();
        final SelectionKey k = c.channel.keyFor(selector);
        if (k != null && k.isValid()) {
            k.interestOps(c.stalled ? k.interestOps() & ~SelectionKey.OP_READ : k.interestOps() | SelectionKey.OP_READ);
        }
    }

    /** What the I/O thread does with what {@link StreamParser} finds on the connection being parsed. */
    private final class Inbound implements StreamParser.Handler {
        private Connection c;

        @Override
        public boolean hello(final long peerKey) {
            c.peerKey = peerKey;
            if (peerKey == selfKey) {
                // Discovery handed us our own address (a wildcard bind, a name that includes this host).
                if (c.dialled != null) {
                    dials.isSelf(c.dialled);
                }
                drop(c);
                return false;
            }
            try {
                c.open();
            } catch (final OutOfMemoryError e) {
                // No direct memory for its send queue: the connection goes, the peer redials (and is logged).
                System.getLogger(TcpTransport.class.getName()).log(System.Logger.Level.ERROR,
                    "tcp transport of " + nodeName + ": no memory for a connection's send queue", e);
                drop(c);
                return false;
            }
            c.helloReceived = true;
            register(c);
            return true;
        }

        @Override
        public boolean frame(final DirectBuffer buffer, final int offset, final int length) {
            if (!deliver(c, buffer, offset, length)) {
                c.stalled = true;
                stalls.incrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        public void malformed() {
            // The stream cannot be resynchronised: count it and drop the connection (the peer reconnects).
            malformed.incrementAndGet();
            drop(c);
        }
    }

    /** @return false when the frame's stack refused it (inbound queue full): try again later */
    private boolean deliver(final Connection c, final DirectBuffer b, final int offset, final int length) {
        final int groupId = b.getInt(offset + FrameHeader.GROUP_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final FrameReceiver r = receiver(groupId);
        if (r == null) {
            unknownGroup.incrementAndGet();
            return true;
        }
        learn(c, b, offset, length, groupId);
        if (!r.onFrame(b, offset, length)) {
            return false;
        }
        frames.lazySet(frames.get() + 1);
        return true;
    }

    private void register(final Connection c) {
        if (byKey.get(c.peerKey) != null && !byKey.get(c.peerKey).closed) {
            return;
        }
        final Long2ObjectHashMap<Connection> next = new Long2ObjectHashMap<>();
        next.putAll(byKey);
        next.put(c.peerKey, c);
        publish(next);
        if (c.dialled != null) {
            dials.connected(c.dialled);
        }
    }

    /**
     * A member key first seen on a connection is routed over it: a group that rejoined as a new incarnation has a
     * new key, and unicasts to it must still find the node's connection. Learnt only from well-formed frames.
     */
    private void learn(final Connection c, final DirectBuffer b, final int offset, final int length,
                       final int groupId) {
        // The sealer of a sealed frame, the sender of a plain one; 0 when not well formed.
        final long sender = FrameValidator.linkPeer(b, offset, length, groupId);
        final Connection known = byKey.get(sender);
        if (known == c || known != null && !known.closed || sender == selfKey || sender == 0) {
            return;
        }
        final Long2ObjectHashMap<Connection> next = new Long2ObjectHashMap<>();
        next.putAll(byKey);
        next.put(sender, c);
        publish(next);
    }

    private void publish(final Long2ObjectHashMap<Connection> next) {
        // A connection may be known under several keys (incarnations): a multicast goes over it once.
        final List<Connection> list = new ArrayList<>();
        next.forEach((k, v) -> {
            if (!list.contains(v)) {
                list.add(v);
            }
        });
        byKey = next;
        peers = list.toArray(new Connection[0]);
    }

    void drop(final Connection c) {
        if (c.closed) {
            return;
        }
        c.close();
        connections.remove(c);
        if (c.helloReceived && byKey.containsValue(c)) {
            final Long2ObjectHashMap<Connection> next = new Long2ObjectHashMap<>();
            next.putAll(byKey);
            next.values().removeIf(x -> x == c);
            for (final Connection other : connections) {
                if (other.helloReceived && other.peerKey == c.peerKey && !other.closed) {
                    next.put(c.peerKey, other);
                }
            }
            publish(next);
        }
        if (c.dialled != null && !closed) {
            dials.failed(c.dialled);
        }
    }
}
