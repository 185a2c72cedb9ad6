package io.cairn.client;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A member's gateway for clients: it accepts TCP connections from {@link GroupClient}s, casts their messages into
 * the group (so they get the group's ordering), deduplicates them by client id and sequence number on every
 * member, hands each to the {@link ClientHandler} once, and returns the reply to the client if it is connected
 * here. See the package documentation for the protocol and its guarantees.
 */
public final class ClientGateway extends Block {
    /** Replies kept per client for resends after a fail-over; a client never has more in flight. */
    static final int REPLY_CACHE = 1024;

    private final ClientHandler handler;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread io;
    private final Map<ClientId, Connection> connected = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Connection> toWrite = new ConcurrentLinkedQueue<>();
    /** Per client: what the group delivered (stack thread; identical on every member after the same deliveries). */
    private final Map<ClientId, Record> clients = new HashMap<>();
    private volatile boolean closed;
    private volatile boolean serving;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();

    /** A client's delivered sequence number and its latest replies, seqs (delivered - size, delivered]. */
    private static final class Record {
        long delivered;
        final ArrayDeque<byte[]> replies = new ArrayDeque<>();

        byte[] reply(final long seq) {
            final long first = delivered - replies.size() + 1;
            if (seq < first || seq > delivered) {
                return null;
            }
            int i = 0;
            for (final byte[] r : replies) {
                if (first + i++ == seq) {
                    return r;
                }
            }
            return null;
        }

        void acknowledged(final long acked) {
            while (!replies.isEmpty() && delivered - replies.size() + 1 <= acked) {
                replies.pollFirst();
            }
        }
    }

    /**
     * @param handler what the members do with clients' messages
     * @param bind    where this member listens for clients (port 0: any)
     */
    public ClientGateway(final ClientHandler handler, final InetSocketAddress bind) {
        // Total order: with only FIFO, a fail-over lets members see a client's message n+1 (new relay) before n (old
        // relay) and drop it as a gap on some members only, so their tables would differ.
        super("gateway", Scheduler.shared(), "total");
        this.handler = handler;
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(bind);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (final IOException e) {
            throw new UncheckedIOException("client gateway: cannot listen on " + bind + " (" + e.getMessage() + ")", e);
        }
        io = new Thread(this::ioLoop, "cairn-gateway-" + bind.getPort());
        io.setDaemon(true);
        io.start();
    }

    /**
     * Joins a group and serves its clients.
     *
     * @param node    the node
     * @param group   group name
     * @param stack   a stack that provides {@code total} ({@code total}, {@code safe-total}): every member handles
     *                clients' messages in one order
     * @param handler what the members do with clients' messages
     * @param bind    where to listen for clients
     * @return the gateway
     */
    public static ClientGateway join(final Node node, final String group, final String stack,
                                     final ClientHandler handler, final InetSocketAddress bind) {
        final ClientGateway g = new ClientGateway(handler, bind);
        try {
            node.join(group, stack, g);
        } catch (final RuntimeException e) {
            g.stopServing();
            throw e;
        }
        return g;
    }

    /** @return the address clients connect to */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return clients (connected here), relayed (casts taken from clients), delivered (handed to the handler),
     *     duplicates, gaps (dropped, resent by the client), malformed, refused, accepted
     */
    public Map<String, Long> stats() {
        final Map<String, Long> m = new TreeMap<>();
        m.put("clients", (long) connected.size());
        m.put("relayed", relayed.get());
        m.put("delivered", delivered.get());
        m.put("duplicates", duplicates.get());
        m.put("gaps", gaps.get());
        m.put("malformed", malformed.get());
        m.put("refused", refused.get());
        m.put("accepted", accepted.get());
        return m;
    }

    // ------------------------------------------------------------------ group side (stack thread)

    @Override
    protected void viewChanged(final View old, final View now) {
        serving = now.primary();
    }

    @Override
    public void onFailure(final String reason, final Throwable cause) {
        exited(reason);
    }

    @Override
    protected void exited(final String reason) {
        // Clients of a member that is out of the group must go elsewhere: what it relayed may be lost, and they
        // resend it there.
        serving = false;
        for (final Connection c : connected.values()) {
            c.closeSoon();
        }
        selector.wakeup();
    }

    @Override
    protected void deliver(final Delivery d, final byte[] p) {
        if (p.length < Wire.ENVELOPE_HEADER || p[0] != Wire.ENVELOPE) {
            malformed.incrementAndGet();
            return;
        }
        final ByteBuffer b = ByteBuffer.wrap(p);
        b.get();
        final ClientId id = new ClientId(b.getLong(), b.getLong());
        final long seq = b.getLong();
        final long acked = b.getLong();
        final Record r = clients.computeIfAbsent(id, k -> new Record());
        final byte[] reply;
        if (seq <= r.delivered) {
            duplicates.incrementAndGet();
            reply = r.reply(seq);
        } else if (seq == r.delivered + 1) {
            final byte[] payload = new byte[p.length - Wire.ENVELOPE_HEADER];
            b.get(payload);
            final byte[][] out = {new byte[0]};
            callback(() -> {
                final byte[] x = handler.handle(id, seq, payload);
                out[0] = x == null ? new byte[0] : x;
            });
            r.delivered = seq;
            r.replies.addLast(out[0]);
            if (r.replies.size() > REPLY_CACHE) {
                r.replies.pollFirst();
            }
            delivered.incrementAndGet();
            reply = out[0];
        } else {
            // An earlier message was lost with a failed relay: the client resends from it, in order.
            gaps.incrementAndGet();
            return;
        }
        r.acknowledged(Math.min(acked, r.delivered - 1));
        final Connection c = connected.get(id);
        if (c != null && reply != null) {
            final ByteBuffer f = Wire.frame(Wire.REPLY, 8 + reply.length);
            f.putLong(seq).put(reply).flip();
            c.queue(f);
        }
    }

    @Override
    public InputStream provideState(final MemberId joiner) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(clients.size());
            for (final Map.Entry<ClientId, Record> e : clients.entrySet()) {
                out.writeLong(e.getKey().hi());
                out.writeLong(e.getKey().lo());
                out.writeLong(e.getValue().delivered);
                out.writeInt(e.getValue().replies.size());
                for (final byte[] r : e.getValue().replies) {
                    out.writeInt(r.length);
                    out.write(r);
                }
            }
            final byte[] app = handler.snapshot();
            out.writeInt(app.length);
            out.write(app);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    protected void receiveState(final ByteBuffer b) {
        clients.clear();
        final int n = b.getInt();
        for (int i = 0; i < n; i++) {
            final ClientId id = new ClientId(b.getLong(), b.getLong());
            final Record r = new Record();
            r.delivered = b.getLong();
            final int replies = b.getInt();
            for (int j = 0; j < replies; j++) {
                final byte[] x = new byte[b.getInt()];
                b.get(x);
                r.replies.addLast(x);
            }
            clients.put(id, r);
        }
        final byte[] app = new byte[b.getInt()];
        b.get(app);
        callback(() -> handler.restore(app));
    }

    // ------------------------------------------------------------------ client side (I/O thread)

    private final class Connection {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(4096);
        final ConcurrentLinkedQueue<ByteBuffer> out = new ConcurrentLinkedQueue<>();
        ClientId id;
        volatile boolean closing;

        Connection(final SocketChannel channel) {
            this.channel = channel;
        }

        void queue(final ByteBuffer frame) {
            out.add(frame);
            toWrite.add(this);
            selector.wakeup();
        }

        void closeSoon() {
            closing = true;
            toWrite.add(this);
        }
    }

    private void ioLoop() {
        while (!closed) {
            try {
                selector.select(100);
                for (final SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                    } else {
                        final Connection c = (Connection) k.attachment();
                        if (k.isReadable()) {
                            read(c);
                        }
                        if (k.isValid() && k.isWritable()) {
                            write(c);
                        }
                    }
                }
                selector.selectedKeys().clear();
                for (Connection c = toWrite.poll(); c != null; c = toWrite.poll()) {
                    if (c.closing) {
                        drop(c);
                    } else {
                        write(c);
                    }
                }
            } catch (final IOException | RuntimeException e) {
                if (!closed) {
                    System.getLogger("io.cairn.client").log(System.Logger.Level.WARNING, "client gateway", e);
                }
            }
        }
        for (final SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Connection c) {
                drop(c);
            }
        }
    }

    private void accept() throws IOException {
        final SocketChannel ch = server.accept();
        if (ch == null) {
            return;
        }
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.register(selector, SelectionKey.OP_READ, new Connection(ch));
    }

    private void read(final Connection c) {
        try {
            if (c.channel.read(c.in) < 0) {
                drop(c);
                return;
            }
            c.in.flip();
            while (c.in.remaining() >= 4) {
                final int length = c.in.getInt(c.in.position());
                // Before HELLO only a HELLO is acceptable: a stranger cannot make the gateway allocate much.
                if (length < 1 || length > (c.id == null ? 17 : Wire.MAX_FRAME)) {
                    malformed.incrementAndGet();
                    drop(c);
                    return;
                }
                if (c.in.remaining() < 4 + length) {
                    if (c.in.capacity() < 4 + length) {
                        final ByteBuffer bigger = ByteBuffer.allocate(4 + length);
                        bigger.put(c.in);
                        c.in = bigger;
                        return;
                    }
                    break;
                }
                c.in.getInt();
                final int end = c.in.position() + length;
                frame(c, c.in.get(), c.in, end);
                c.in.position(end);
                if (!c.channel.isOpen()) {
                    return;
                }
            }
            c.in.compact();
        } catch (final IOException | RuntimeException e) {
            // Whatever one client's bytes do, only its own connection goes.
            malformed.incrementAndGet();
            drop(c);
        }
    }

    private void frame(final Connection c, final byte type, final ByteBuffer b, final int end) {
        if (type == Wire.HELLO && c.id == null && end - b.position() == 16) {
            final ClientId id = new ClientId(b.getLong(), b.getLong());
            if (!serving || closed) {
                refused.incrementAndGet();
                final byte[] why = "member not in a primary view".getBytes(StandardCharsets.UTF_8);
                final ByteBuffer f = Wire.frame(Wire.REFUSE, why.length);
                f.put(why).flip();
                c.out.add(f);
                write(c);
                drop(c);
                return;
            }
            c.id = id;
            final Connection old = connected.put(id, c);
            if (old != null && old != c) {
                old.closeSoon();
            }
            if (!serving) {
                // The member exited between the check and the registration: exited() may have missed this one.
                connected.remove(id, c);
                drop(c);
                return;
            }
            accepted.incrementAndGet();
            final byte[] me = me().getBytes(StandardCharsets.UTF_8);
            final ByteBuffer f = Wire.frame(Wire.WELCOME, 4 + me.length);
            f.putInt(group().maxPayload() - Wire.ENVELOPE_HEADER).put(me).flip();
            c.queue(f);
        } else if (type == Wire.CAST && c.id != null && end - b.position() >= 16
            && end - b.position() - 16 + Wire.ENVELOPE_HEADER <= group().maxPayload()) {
            final long seq = b.getLong();
            final long acked = b.getLong();
            final int length = end - b.position();
            if (seq <= acked || seq - acked > GroupClient.WINDOW) {
                // Beyond the window the reply cache promises: a client that does not keep to it is not served.
                malformed.incrementAndGet();
                drop(c);
                return;
            }
            relayed.incrementAndGet();
            cast(Wire.envelope(c.id, seq, acked, b.array(), b.arrayOffset() + b.position(), length));
        } else {
            malformed.incrementAndGet();
            drop(c);
        }
    }

    private void write(final Connection c) {
        try {
            for (ByteBuffer f = c.out.peek(); f != null; f = c.out.peek()) {
                c.channel.write(f);
                if (f.hasRemaining()) {
                    break;
                }
                c.out.poll();
            }
            final SelectionKey k = c.channel.keyFor(selector);
            if (k != null && k.isValid()) {
                k.interestOps(c.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (final IOException e) {
            drop(c);
        }
    }

    private void drop(final Connection c) {
        if (c.id != null) {
            connected.remove(c.id, c);
        }
        try {
            c.channel.close();
        } catch (final IOException ignored) {
            // closing
        }
    }

    private void stopServing() {
        closed = true;
        selector.wakeup();
        try {
            io.join(2000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (final java.io.Closeable x : new java.io.Closeable[] {server, selector}) {
            try {
                x.close();
            } catch (final IOException ignored) {
                // closing
            }
        }
    }

    /** Stops serving clients (they fail over) and stops the group without leaving. */
    @Override
    public void close() {
        stopServing();
        super.close();
    }

    /** Stops serving clients and leaves the group gracefully. */
    @Override
    public void leave() {
        stopServing();
        super.leave();
    }
}
