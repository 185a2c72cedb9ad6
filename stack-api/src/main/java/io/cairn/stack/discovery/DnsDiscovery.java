package io.cairn.stack.discovery;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/**
 * The A/AAAA or SRV records of one name, looked up every interval through the JDK's DNS client (JNDI), from the
 * system's resolvers or a configured server. A name that does not exist (yet) is an empty answer; a lookup that
 * fails (timeout, server down) keeps the last answer and is counted.
 */
final class DnsDiscovery extends Discovery {
    private final String name;
    private final boolean srv;
    private final int port;
    private final String server;
    private final long timeoutMs;

    DnsDiscovery(final String path, final List<InetSocketAddress> fixed, final Duration interval, final String name,
                 final boolean srv, final int port, final String server, final long timeoutMs) {
        super(path, fixed, interval);
        this.name = name;
        this.srv = srv;
        this.port = port;
        this.server = server;
        this.timeoutMs = Math.max(50, timeoutMs);
    }

    @Override
    protected List<InetSocketAddress> lookup() throws NamingException, UnknownHostException {
        final Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, server.isEmpty() ? "dns:" : "dns://" + server);
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(timeoutMs));
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        final DirContext ctx = new InitialDirContext(env);
        try {
            final List<InetSocketAddress> out = new ArrayList<>();
            if (srv) {
                for (final String record : values(ctx, name, "SRV")) {
                    // priority weight port target
                    final String[] f = record.trim().split("\\s+");
                    if (f.length != 4) {
                        failed();
                        continue;
                    }
                    final int p = Integer.parseInt(f[2]);
                    for (final InetAddress a : addresses(ctx, f[3])) {
                        out.add(new InetSocketAddress(a, p));
                    }
                }
            } else {
                final int p = port == 0 ? advertised().getPort() : port;
                for (final InetAddress a : addresses(ctx, name)) {
                    out.add(new InetSocketAddress(a, p));
                }
            }
            return out;
        } finally {
            ctx.close();
        }
    }

    /** The A and AAAA records of a name, asked of the same server (a test's or a cluster's private names). */
    private static List<InetAddress> addresses(final DirContext ctx, final String host)
        throws NamingException, UnknownHostException {
        final List<InetAddress> out = new ArrayList<>();
        for (final String type : new String[] {"A", "AAAA"}) {
            for (final String v : values(ctx, host, type)) {
                out.add(InetAddress.getByName(v.trim()));
            }
        }
        return out;
    }

    private static List<String> values(final DirContext ctx, final String host, final String type)
        throws NamingException {
        final List<String> out = new ArrayList<>();
        final Attributes attrs;
        try {
            attrs = ctx.getAttributes(host, new String[] {type});
        } catch (final NameNotFoundException e) {
            return out;
        }
        final Attribute a = attrs.get(type);
        if (a != null) {
            final NamingEnumeration<?> e = a.getAll();
            while (e.hasMore()) {
                out.add(e.next().toString());
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "dns " + (srv ? "SRV " : "A ") + name + (server.isEmpty() ? "" : " at " + server);
    }
}
