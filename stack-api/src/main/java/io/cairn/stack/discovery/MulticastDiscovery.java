package io.cairn.stack.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IP multicast announcements, for transports that do not multicast themselves (TCP; UDP in unicast mode): every
 * interval each member sends {@code CAIRN-DISCOVERY host:port} to the discovery group, and answers a newcomer's
 * announcement at once with its own. A peer not heard for three intervals is dropped from the set. Anything
 * else received on the group is counted as a failure and ignored.
 */
final class MulticastDiscovery extends Discovery {
    private static final String MAGIC = "CAIRN-DISCOVERY ";
    private final InetSocketAddress group;
    private final NetworkInterface nif;
    private final int ttl;
    private final Map<InetSocketAddress, Long> heard = new ConcurrentHashMap<>();
    private MulticastSocket socket;
    private long lastAnnounceNs;

    MulticastDiscovery(final String path, final List<InetSocketAddress> fixed, final Duration interval,
                       final InetSocketAddress group, final NetworkInterface nif, final int ttl) {
        super(path, fixed, interval);
        this.group = group;
        this.nif = nif;
        this.ttl = ttl;
    }

    @Override
    protected void publish() {
        if (socket != null) {
            return; // announcements go out from pause()
        }
        try {
            socket = new MulticastSocket(group.getPort());
            socket.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            socket.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            socket.joinGroup(group, nif);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException("multicast discovery on " + group + " via " + nif.getName()
                + ": " + e.getMessage() + " (check discovery.multicast: address, port, interface)", e);
        }
        announce();
    }

    private void announce() {
        final InetSocketAddress a = advertised();
        final String host = a.getAddress().getHostAddress();
        final byte[] text = (MAGIC + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort())
            .getBytes(StandardCharsets.US_ASCII);
        try {
            socket.send(new DatagramPacket(text, text.length, group));
        } catch (final IOException e) {
            failed();
        }
        lastAnnounceNs = System.nanoTime();
    }

    @Override
    protected void pause() {
        final long until = System.nanoTime() + intervalNs();
        final byte[] buf = new byte[512];
        boolean fresh = false;
        while (!isClosed()) {
            final long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                final DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                final InetSocketAddress a = parse(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII));
                if (a == null) {
                    failed();
                } else if (!isSelf(a) && heard.put(a, System.nanoTime()) == null) {
                    fresh = true;
                    break;
                }
            } catch (final SocketTimeoutException e) {
                break;
            } catch (final IOException e) {
                if (!isClosed()) {
                    failed();
                }
                break;
            }
        }
        if (fresh || System.nanoTime() - lastAnnounceNs >= intervalNs()) {
            // A newcomer hears the others at once rather than an interval later.
            announce();
        }
    }

    private static InetSocketAddress parse(final String s) {
        if (!s.startsWith(MAGIC)) {
            return null;
        }
        final String hp = s.substring(MAGIC.length()).trim();
        final int colon = hp.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (!host.matches("[0-9a-fA-F.:]+")) {
                return null; // literals only: an announcement never makes this node resolve a name
            }
            final int port = Integer.parseInt(hp.substring(colon + 1));
            return port < 1 || port > 65535 ? null : new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    protected List<InetSocketAddress> lookup() {
        final long now = System.nanoTime();
        heard.values().removeIf(t -> now - t > 3 * intervalNs());
        return new ArrayList<>(heard.keySet());
    }

    @Override
    protected void withdraw() {
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public String describe() {
        return "multicast " + group + " on " + nif.getName();
    }
}
