package io.cairn.testkit.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small authoritative DNS server on 127.0.0.1 (UDP, an ephemeral port) for discovery tests: answers A, AAAA and
 * SRV questions from records the test sets, NXDOMAIN for names it does not know. Enough of RFC 1035 for the JDK's
 * resolver; no recursion, no TCP (answers stay far below 512 bytes).
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private static final int A = 1;
    private static final int AAAA = 28;
    private static final int SRV = 33;

    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<String>> services = new ConcurrentHashMap<>();
    private final AtomicLong queries = new AtomicLong();
    private volatile boolean closed;

    private LoopbackDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "loopback-dns");
        thread.setDaemon(true);
    }

    /**
     * @return a started server
     * @throws SocketException when no loopback port can be bound
     */
    public static LoopbackDnsServer start() throws SocketException {
        final LoopbackDnsServer s = new LoopbackDnsServer();
        s.thread.start();
        return s;
    }

    /** @return {@code 127.0.0.1:port}, for {@code discovery.dns.server} */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /**
     * Sets the A/AAAA records of a name (replacing earlier ones).
     *
     * @param name the name
     * @param ips  its addresses
     */
    public void addresses(final String name, final List<InetAddress> ips) {
        addresses.put(key(name), List.copyOf(ips));
    }

    /**
     * Sets the SRV records of a name (replacing earlier ones).
     *
     * @param name    the name (e.g. {@code _cairn._tcp.group.test})
     * @param targets {@code host:port} of each target; the hosts need A records of their own
     */
    public void services(final String name, final List<String> targets) {
        services.put(key(name), List.copyOf(targets));
    }

    /** @return questions answered so far */
    public long queries() {
        return queries.get();
    }

    private static String key(final String name) {
        final String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private void serve() {
        final byte[] in = new byte[512];
        while (!closed) {
            try {
                final DatagramPacket p = new DatagramPacket(in, in.length);
                socket.receive(p);
                final byte[] out = answer(ByteBuffer.wrap(in, 0, p.getLength()));
                if (out != null) {
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                }
            } catch (final IOException | RuntimeException e) {
                // closed, or a query this server does not understand: no answer
            }
        }
    }

    private byte[] answer(final ByteBuffer q) {
        final int id = q.getShort() & 0xffff;
        final int flags = q.getShort() & 0xffff;
        if (q.getShort() != 1) {
            return null;
        }
        q.position(12);
        final StringBuilder name = new StringBuilder();
        for (int len = q.get() & 0xff; len != 0; len = q.get() & 0xff) {
            if (name.length() > 0) {
                name.append('.');
            }
            final byte[] label = new byte[len];
            q.get(label);
            name.append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
        }
        final int type = q.getShort() & 0xffff;
        q.getShort(); // class
        final int questionEnd = q.position();
        queries.incrementAndGet();
        final String n = key(name.toString());
        final boolean known = addresses.containsKey(n) || services.containsKey(n);
        final ByteBuffer out = ByteBuffer.allocate(512);
        out.putShort((short) id);
        out.putShort((short) (0x8000 | 0x0400 | (flags & 0x0100) | (known ? 0 : 3)));
        out.putShort((short) 1);
        final int answerCount = out.position();
        out.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        out.put(q.array(), 12, questionEnd - 12);
        int answers = 0;
        if (type == A || type == AAAA) {
            for (final InetAddress a : addresses.getOrDefault(n, List.of())) {
                if ((type == AAAA) == (a instanceof Inet6Address)) {
                    record(out, type, a.getAddress());
                    answers++;
                }
            }
        } else if (type == SRV) {
            for (final String t : services.getOrDefault(n, List.of())) {
                final int colon = t.lastIndexOf(':');
                final ByteBuffer r = ByteBuffer.allocate(300);
                r.putShort((short) 10).putShort((short) 10).putShort((short) Integer.parseInt(t.substring(colon + 1)));
                for (final String label : t.substring(0, colon).split("\\.")) {
                    r.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                r.put((byte) 0);
                final byte[] rdata = new byte[r.position()];
                r.flip().get(rdata);
                record(out, SRV, rdata);
                answers++;
            }
        }
        out.putShort(answerCount, (short) answers);
        final byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    private static void record(final ByteBuffer out, final int type, final byte[] rdata) {
        out.putShort((short) 0xc00c).putShort((short) type).putShort((short) 1).putInt(5)
            .putShort((short) rdata.length).put(rdata);
    }

    /** @return every A record set so far, flattened (for messages) */
    @Override
    public String toString() {
        final List<String> all = new ArrayList<>();
        addresses.forEach((k, v) -> all.add(k + " " + v));
        services.forEach((k, v) -> all.add(k + " SRV " + v));
        return "dns " + address() + " " + all;
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            thread.join(1000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
