package io.cairn.stack.discovery;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.cairn.stack.config.StackConfigException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Finds the addresses of a node's peers for its transport: a static list, DNS, a shared directory or IP multicast
 * announcements (see the package documentation). One instance per transport; the transport starts it once its
 * socket is bound and hears of every change of the peer set on the discovery's own thread.
 */
public abstract class Discovery implements AutoCloseable {
    /** The types, as written in {@code discovery.type}. */
    public static final List<String> TYPES = List.of("static", "dns", "directory", "multicast");

    /** {@code cairn.discovery} of the reference settings: what a transport's {@code discovery} falls back to. */
    private static final Config DEFAULTS = com.typesafe.config.ConfigFactory
        .defaultReference(Discovery.class.getClassLoader()).getConfig("cairn.discovery");

    private final String path;
    private final List<InetSocketAddress> fixed;
    private final long intervalNs;
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile List<InetSocketAddress> peers = List.of();
    private volatile boolean closed;
    private InetSocketAddress advertised;
    private Set<InetAddress> localAddresses = Set.of();
    private InetSocketAddress bound;
    private Consumer<List<InetSocketAddress>> listener;
    private Thread poller;

    /**
     * @param path     the settings path, for messages (for example {@code cairn.transport.tcp})
     * @param fixed    the static {@code initial-members}, always part of the peer set
     * @param interval between lookups
     */
    protected Discovery(final String path, final List<InetSocketAddress> fixed, final Duration interval) {
        this.path = path;
        this.fixed = List.copyOf(fixed);
        this.intervalNs = interval.toNanos();
    }

    /**
     * Reads {@code initial-members} and {@code discovery} of a transport's settings.
     *
     * @param section the transport's section (for example {@code cairn.transport.tcp})
     * @param path    its path, for error messages
     * @return the configured discovery, not started
     * @throws StackConfigException naming the file, line, key and value, and the fix
     */
    public static Discovery from(final Config section, final String path) {
        final List<InetSocketAddress> fixed = new ArrayList<>();
        for (final String s : strings(section, "initial-members", path)) {
            fixed.addAll(hostPorts(s, section, "initial-members", path));
        }
        if (!section.hasPath("discovery")) {
            return new StaticDiscovery(path, fixed);
        }
        final Config d = section.getConfig("discovery").withFallback(DEFAULTS);
        final String type = string(d, "type", path + ".discovery");
        final Duration interval = d.hasPath("interval") ? d.getDuration("interval") : Duration.ofSeconds(1);
        if (interval.toMillis() < 10 || interval.toHours() > 1) {
            throw bad(d, "interval", path + ".discovery", "between 10ms and 1h");
        }
        switch (type) {
            case "static" -> {
                return new StaticDiscovery(path, fixed);
            }
            case "dns" -> {
                final String p = path + ".discovery.dns";
                final Config c = d.getConfig("dns");
                final String name = string(c, "name", p);
                if (name.isBlank()) {
                    throw bad(c, "name", p, "the DNS name to look up, for example my-group.default.svc.cluster.local "
                        + "(a Kubernetes headless service)");
                }
                final String record = string(c, "record", p).toUpperCase(java.util.Locale.ROOT);
                if (!record.equals("A") && !record.equals("SRV")) {
                    throw bad(c, "record", p, "A (addresses, with dns.port) or SRV (addresses and ports)");
                }
                final int port = c.getInt("port");
                if (port < 0 || port > 65535) {
                    throw bad(c, "port", p, "a port, or 0 for this node's own port");
                }
                final String server = string(c, "server", p);
                if (!server.isEmpty()) {
                    hostPorts(server, c, "server", p);
                }
                return new DnsDiscovery(path, fixed, interval, name, record.equals("SRV"), port, server,
                    c.getDuration("timeout", TimeUnit.MILLISECONDS));
            }
            case "directory" -> {
                final String p = path + ".discovery.directory";
                final Config c = d.getConfig("directory");
                final String dir = string(c, "path", p);
                if (dir.isBlank()) {
                    throw bad(c, "path", p, "a directory every member can read and write (a shared volume)");
                }
                return new DirectoryDiscovery(path, fixed, interval, Path.of(dir));
            }
            case "multicast" -> {
                final String p = path + ".discovery.multicast";
                final Config c = d.getConfig("multicast");
                final InetAddress group;
                try {
                    group = InetAddress.getByName(string(c, "address", p));
                } catch (final UnknownHostException e) {
                    throw bad(c, "address", p, "a multicast address such as 239.192.0.72");
                }
                if (!group.isMulticastAddress()) {
                    throw bad(c, "address", p, "a multicast address such as 239.192.0.72");
                }
                final NetworkInterface nif;
                try {
                    nif = NetworkInterface.getByName(string(c, "interface", p));
                } catch (final SocketException e) {
                    throw bad(c, "interface", p, "the name of a network interface (lo, eth0, ...)");
                }
                if (nif == null) {
                    throw bad(c, "interface", p, "the name of a network interface (lo, eth0, ...)");
                }
                return new MulticastDiscovery(path, fixed, interval, new InetSocketAddress(group, c.getInt("port")),
                    nif, c.getInt("ttl"));
            }
            default -> throw bad(d, "type", path + ".discovery", "one of " + TYPES);
        }
    }

    /**
     * Starts: publishes this node (directory, multicast) and looks the peers up, now and every interval after.
     *
     * @param advertisedAddress what peers are told to reach this node at
     * @param boundAddress      the transport's bound socket address (to recognise this node in answers)
     * @param onChange          told every new peer set (never this node), on the discovery's thread
     */
    public final synchronized void start(final InetSocketAddress advertisedAddress,
                                         final InetSocketAddress boundAddress,
                                         final Consumer<List<InetSocketAddress>> onChange) {
        this.advertised = advertisedAddress;
        this.bound = boundAddress;
        // Bound to one address, only that address is this node; bound to the wildcard, any local one with its port.
        this.localAddresses = boundAddress.getAddress().isAnyLocalAddress() ? localAddresses()
            : Set.of(boundAddress.getAddress());
        this.listener = onChange;
        publish();
        refresh();
        if (polls()) {
            poller = new Thread(this::pollLoop, "cairn-discovery-" + path);
            poller.setDaemon(true);
            poller.start();
        }
    }

    /** @return the peers last found (never this node) */
    public final List<InetSocketAddress> peers() {
        return peers;
    }

    /** @return discovery_lookups, discovery_failures, discovery_peers */
    public final Map<String, Long> stats() {
        final Map<String, Long> m = new TreeMap<>();
        m.put("discovery_lookups", lookups.get());
        m.put("discovery_failures", failures.get());
        m.put("discovery_peers", (long) peers.size());
        return m;
    }

    /** @return the type and what it looks at, for logs */
    public abstract String describe();

    /** @return the address this node was started with */
    protected final InetSocketAddress advertised() {
        return advertised;
    }

    /** @return whether this type looks again every interval (the static list does not) */
    protected boolean polls() {
        return true;
    }

    /** Makes this node findable (a file, an announcement), at start and every interval; nothing by default. */
    protected void publish() {
    }

    /** Withdraws what {@link #publish} made; nothing by default. */
    protected void withdraw() {
    }

    /**
     * @return the peers this type finds now (this node may be among them)
     * @throws Exception when the lookup failed: the last answer stands and the failure is counted
     */
    protected abstract List<InetSocketAddress> lookup() throws Exception;

    /** @return the nanoseconds between lookups */
    protected final long intervalNs() {
        return intervalNs;
    }

    /** @return whether {@link #close} was called */
    protected final boolean isClosed() {
        return closed;
    }

    private void pollLoop() {
        while (!closed) {
            pause();
            if (!closed) {
                publish();
                refresh();
            }
        }
    }

    /** Waits until the next lookup is due; a type that listens (multicast) overrides this to listen meanwhile. */
    protected void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(this, intervalNs);
    }

    /** Looks up now and tells the transport if the set changed. */
    protected final void refresh() {
        lookups.incrementAndGet();
        List<InetSocketAddress> found;
        try {
            found = lookup();
        } catch (final Exception e) {
            failures.incrementAndGet();
            return;
        }
        final Set<InetSocketAddress> next = new java.util.LinkedHashSet<>(fixed);
        next.addAll(found);
        next.removeIf(this::isSelf);
        final List<InetSocketAddress> list = List.copyOf(next);
        final Consumer<List<InetSocketAddress>> l;
        synchronized (this) {
            if (new HashSet<>(list).equals(new HashSet<>(peers))) {
                return;
            }
            peers = list;
            l = listener;
        }
        if (l != null) {
            l.accept(list);
        }
    }

    /**
     * @return whether the address is this node's: its advertised or bound address, or, bound to the wildcard, one of
     *     the host's addresses with its port
     */
    protected final boolean isSelf(final InetSocketAddress a) {
        if (a.equals(advertised) || a.equals(bound)) {
            return true;
        }
        return a.getPort() == bound.getPort() && (a.getAddress() == null || localAddresses.contains(a.getAddress()));
    }

    @Override
    public void close() {
        final Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = poller;
        }
        withdraw();
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts a failure that did not come out of {@link #lookup} (a bad announcement, say). */
    protected final void failed() {
        failures.incrementAndGet();
    }

    private static Set<InetAddress> localAddresses() {
        final Set<InetAddress> out = new HashSet<>();
        try {
            for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (final SocketException e) {
            // Without the list only the advertised address identifies this node.
        }
        return out;
    }

    /**
     * The address peers are told: {@code advertise-address} and {@code advertise-port} when set (NAT, containers),
     * otherwise the bound address, or, bound to the wildcard, this host's first non-loopback address.
     *
     * @param section the transport's settings
     * @param path    their path, for messages
     * @param bound   the bound socket address
     * @return the advertised address
     */
    public static InetSocketAddress advertised(final Config section, final String path,
                                               final InetSocketAddress bound) {
        final String host = section.hasPath("advertise-address") ? section.getString("advertise-address") : "";
        final int port = section.hasPath("advertise-port") ? section.getInt("advertise-port") : 0;
        if (port < 0 || port > 65535) {
            throw bad(section, "advertise-port", path, "a port, or 0 for the bound port");
        }
        final int p = port == 0 ? bound.getPort() : port;
        if (!host.isEmpty()) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), p);
            } catch (final UnknownHostException e) {
                throw bad(section, "advertise-address", path, "an address or a name this host can resolve");
            }
        }
        if (!bound.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(bound.getAddress(), p);
        }
        try {
            for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (final InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return new InetSocketAddress(a, p);
                    }
                }
            }
            return new InetSocketAddress(InetAddress.getLocalHost(), p);
        } catch (final SocketException | UnknownHostException e) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
        }
    }

    /**
     * Parses {@code host:port} or {@code host:first-last} (a port range, every port of it a candidate).
     *
     * @param s       the text
     * @param c       the config it came from
     * @param key     its key there
     * @param path    the config's path, for messages
     * @return the addresses (unresolved names are resolved now)
     */
    static List<InetSocketAddress> hostPorts(final String s, final Config c, final String key, final String path) {
        final int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw bad(c, key, path, "host:port or host:first-last, got '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final String ports = s.substring(colon + 1);
        final int dash = ports.indexOf('-');
        final int first;
        final int last;
        try {
            first = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            last = dash < 0 ? first : Integer.parseInt(ports.substring(dash + 1));
        } catch (final NumberFormatException e) {
            throw bad(c, key, path, "host:port or host:first-last with numeric ports, got '" + s + "'");
        }
        if (first < 1 || last > 65535 || last < first || last - first > 1024) {
            throw bad(c, key, path, "ports from 1 to 65535, a range of at most 1024, got '" + s + "'");
        }
        final InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (final UnknownHostException e) {
            throw bad(c, key, path, "a host this machine can resolve, got '" + host + "' in '" + s + "'");
        }
        final List<InetSocketAddress> out = new ArrayList<>();
        for (int p = first; p <= last; p++) {
            out.add(new InetSocketAddress(address, p));
        }
        return out;
    }

    private static String string(final Config c, final String key, final String path) {
        try {
            return c.getString(key);
        } catch (final ConfigException e) {
            throw new StackConfigException(path + "." + key + ": " + e.getMessage(), e);
        }
    }

    private static List<String> strings(final Config c, final String key, final String path) {
        if (!c.hasPath(key)) {
            return List.of();
        }
        try {
            return c.getStringList(key);
        } catch (final ConfigException e) {
            throw new StackConfigException(path + "." + key + ": " + e.getMessage()
                + "; expected a list such as [\"10.0.0.1:7800\", \"10.0.0.2:7800-7802\"]", e);
        }
    }

    static StackConfigException bad(final Config c, final String key, final String path, final String expected) {
        final String where = c.hasPath(key) ? c.getValue(key).origin().description() : "(not set)";
        final String value = c.hasPath(key) ? c.getValue(key).render() : "(missing)";
        return new StackConfigException(where + ": " + path + "." + key + " = " + value + ": expected " + expected);
    }
}
