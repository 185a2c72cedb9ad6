package io.cairn.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process that is not a member of a group but casts into it through a member's {@link ClientGateway}: its
 * messages get the group's ordering, each is handled once by every member, and the member it is connected to
 * replies. When that member fails (or leaves, or is cut off) the client connects to another and resends what has
 * no reply yet; the group drops what it already delivered and the new member returns its reply, so nothing is
 * lost or handled twice. Members do not see clients in their views.
 *
 * <p>Requests are pipelined up to a window; more wait in the client, in order. One daemon thread per client reads
 * replies and fails over.
 */
public final class GroupClient implements AutoCloseable {
    /** Requests in flight at most (the gateways keep this many replies per client, and more). */
    public static final int WINDOW = 128;

    private final ClientId id = ClientId.random();
    private final List<InetSocketAddress> gateways;
    private final long resendNs;
    private final Thread reader;
    private final Object lock = new Object();
    /** Requests without a reply, by sequence number. */
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private long nextSeq = 1;
    /** Highest sequence number sent on the current connection (guarded by lock). */
    private long sentUpTo;
    private Socket socket;
    private OutputStream out;
    private volatile String member;
    /** Largest payload the group takes (from the gateway's WELCOME). */
    private volatile int maxPayload = Integer.MAX_VALUE;
    /** When a reply last arrived (or the connection was made): the silence watch compares against it. */
    private volatile long lastProgressNs = System.nanoTime();
    private volatile io.cairn.toolkit.Scheduler.Cancel watch = io.cairn.toolkit.Scheduler.Cancel.NONE;
    private volatile boolean closed;
    private int next;
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    private record Pending(long seq, byte[] payload, CompletableFuture<byte[]> reply) {
    }

    private GroupClient(final List<InetSocketAddress> gateways, final Duration resendAfter) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("a group client needs at least one gateway address");
        }
        this.gateways = List.copyOf(gateways);
        this.resendNs = resendAfter.toNanos();
        this.reader = new Thread(this::run, "cairn-group-client-" + id.toString().substring(0, 8));
        this.reader.setDaemon(true);
    }

    /**
     * Connects to the first gateway that accepts (in the given order, then round-robin on failures).
     *
     * @param gateways addresses of members' gateways
     * @param timeout  how long to wait for the first connection
     * @return the connected client
     * @throws IllegalStateException if no gateway accepted within the timeout
     */
    public static GroupClient connect(final List<InetSocketAddress> gateways, final Duration timeout) {
        final GroupClient c = new GroupClient(gateways, Duration.ofSeconds(2));
        c.reader.start();
        c.watchSilence();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (c.member == null) {
            if (System.nanoTime() > deadline) {
                c.close();
                throw new IllegalStateException("no gateway of " + gateways + " accepted the client within " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return c;
    }

    /**
     * Every 200 ms: messages wait and nothing came back for the resend interval, so the member may be gone without
     * a reset (a dead host, a partition): go to the next gateway, which gets everything without a reply again.
     * Closing the socket also frees a writer blocked on it.
     */
    private void watchSilence() {
        if (closed) {
            return;
        }
        final Socket s = socket;
        if (s != null && !pending.isEmpty() && System.nanoTime() - lastProgressNs > resendNs) {
            lastProgressNs = System.nanoTime();
            try {
                s.close();
            } catch (final IOException ignored) {
                // failing over anyway
            }
        }
        watch = io.cairn.toolkit.Scheduler.shared().schedule(200_000_000L, this::watchSilence);
    }

    /** @return this client's id */
    public ClientId id() {
        return id;
    }

    /** @return the member this client is connected to now, or null while it fails over */
    public String member() {
        return member;
    }

    /** @return failovers, resent (messages sent again after a fail-over), refusals, pending */
    public Map<String, Long> stats() {
        final Map<String, Long> m = new TreeMap<>();
        m.put("failovers", failovers.get());
        m.put("resent", resent.get());
        m.put("refusals", refusals.get());
        m.put("pending", (long) pending.size());
        return m;
    }

    /**
     * Casts into the group; every member handles it once, in the group's order.
     *
     * @param payload the message
     * @return completes with the reply of the member this client is connected to when it is handled, on the
     *     client's reader thread (do not block in callbacks; use the {@code *Async} variants for long work)
     */
    public CompletableFuture<byte[]> request(final byte[] payload) {
        final CompletableFuture<byte[]> f = new CompletableFuture<>();
        if (payload.length > maxPayload) {
            f.completeExceptionally(new IllegalArgumentException("a client message of " + payload.length
                + " B exceeds the largest the group takes (" + maxPayload + " B)"));
            return f;
        }
        synchronized (lock) {
            if (closed) {
                f.completeExceptionally(new IllegalStateException("group client closed"));
                return f;
            }
            final long seq = nextSeq++;
            pending.put(seq, new Pending(seq, payload.clone(), f));
            sendWithinWindow();
        }
        return f;
    }

    /** Sends what the window allows on the current connection (under lock). */
    private void sendWithinWindow() {
        if (out == null || member == null) {
            return;
        }
        final long acked = acked();
        for (final Pending p : pending.tailMap(sentUpTo, false).values()) {
            if (p.seq - acked > WINDOW) {
                break;
            }
            if (!send(p, acked)) {
                return;
            }
            sentUpTo = p.seq;
        }
    }

    /** @return the highest sequence number of which every reply arrived */
    private long acked() {
        final Map.Entry<Long, Pending> first = pending.firstEntry();
        return first == null ? nextSeq - 1 : first.getKey() - 1;
    }

    private boolean send(final Pending p, final long acked) {
        final ByteBuffer f = Wire.frame(Wire.CAST, 16 + p.payload.length);
        f.putLong(p.seq).putLong(acked).put(p.payload);
        try {
            out.write(f.array());
            return true;
        } catch (final IOException e) {
            disconnect();
            return false;
        }
    }

    private void disconnect() {
        member = null;
        out = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (final IOException ignored) {
                // going elsewhere anyway
            }
        }
    }

    private void run() {
        long backoffMs = 20;
        boolean first = true;
        while (!closed) {
            final InetSocketAddress to = gateways.get(next);
            next = (next + 1) % gateways.size();
            final Socket s = new Socket();
            try {
                s.connect(to, 1000);
                s.setTcpNoDelay(true);
                // Bounded wait for the WELCOME only; replies are read without a timeout (watchSilence handles
                // silence), so a read never stops in the middle of a frame.
                s.setSoTimeout(5000);
                final InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                final DataInputStream data = new DataInputStream(in);
                final ByteBuffer hello = Wire.frame(Wire.HELLO, 16);
                hello.putLong(id.hi()).putLong(id.lo());
                s.getOutputStream().write(hello.array());
                final String welcome = awaitWelcome(data);
                if (welcome == null) {
                    refusals.incrementAndGet();
                    throw new IOException("refused");
                }
                s.setSoTimeout(0);
                synchronized (lock) {
                    if (closed) {
                        throw new IOException("closed");
                    }
                    lastProgressNs = System.nanoTime();
                    socket = s;
                    out = s.getOutputStream();
                    member = welcome;
                    if (!first) {
                        failovers.incrementAndGet();
                        resent.addAndGet(Math.max(0, Math.min(sentUpTo, acked() + WINDOW) - acked()));
                    }
                    // Everything without a reply goes again, in order: the group drops what it already handled.
                    sentUpTo = acked();
                    sendWithinWindow();
                }
                first = false;
                backoffMs = 20;
                readReplies(data);
            } catch (final IOException e) {
                try {
                    s.close();
                } catch (final IOException ignored) {
                    // going elsewhere
                }
                synchronized (lock) {
                    disconnect();
                }
                if (!closed) {
                    java.util.concurrent.locks.LockSupport.parkNanos(backoffMs * 1_000_000);
                    backoffMs = Math.min(1000, backoffMs * 2);
                }
            }
        }
    }

    /** @return the member's name, or null if the gateway refused */
    private String awaitWelcome(final DataInputStream in) throws IOException {
        final int length = in.readInt();
        if (length < 1 || length > 1 << 16) {
            throw new IOException("bad frame length " + length);
        }
        final byte type = in.readByte();
        final byte[] body = new byte[length - 1];
        in.readFully(body);
        if (type != Wire.WELCOME || body.length < 4) {
            return null;
        }
        maxPayload = ByteBuffer.wrap(body).getInt();
        return new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
    }

    private void readReplies(final DataInputStream in) throws IOException {
        while (!closed) {
            final int length = in.readInt();
            if (length < 9 || length > Wire.MAX_FRAME) {
                throw new IOException("bad frame length " + length);
            }
            final byte type = in.readByte();
            final long seq = in.readLong();
            final byte[] reply = new byte[length - 9];
            in.readFully(reply);
            if (type != Wire.REPLY) {
                throw new IOException("unexpected frame " + type);
            }
            final Pending p = pending.remove(seq);
            if (p != null) {
                lastProgressNs = System.nanoTime();
                p.reply.complete(reply);
                synchronized (lock) {
                    sendWithinWindow();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watch.cancel();
        final Socket s = socket;
        if (s != null) {
            try {
                s.close(); // frees a writer blocked on it before the lock is taken
            } catch (final IOException ignored) {
                // closing
            }
        }
        synchronized (lock) {
            disconnect();
        }
        try {
            reader.join(2000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (final Pending p : pending.values()) {
            p.reply.completeExceptionally(new IllegalStateException("group client closed"));
        }
        pending.clear();
    }
}
