package io.cairn.bench.compare;

import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.IpAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * JGroups with a stock configuration from its jar ({@code udp.xml}, {@code tcp.xml}, {@code sequencer.xml}),
 * changed only through the system properties those files read (see {@link #configureOnce}). The one change made
 * through the API is cosmetic: GMS does not print each member's address to stdout.
 */
final class JGroupsSystem implements GroupSystem {
    private final String config;
    private final boolean tcp;

    JGroupsSystem(final String config) {
        this.config = config;
        this.tcp = config.startsWith("tcp");
    }

    /**
     * Properties the stock files read, set before the first channel: everything on 127.0.0.1, multicast that does
     * not leave the host (TTL 0), a multicast port of this invocation's own (another process on this machine may
     * use the default), and TCPPING probing exactly the listed ports.
     *
     * @param mcastPort the UDP multicast port for this invocation
     */
    static void configureOnce(final int mcastPort) {
        System.setProperty("jgroups.bind_addr", "127.0.0.1");
        System.setProperty("jgroups.udp.ip_ttl", "0");
        System.setProperty("jgroups.udp.mcast_port", Integer.toString(mcastPort));
        System.setProperty("jgroups.tcp.port_range", "0");
    }

    @Override
    public String label() {
        return "JGroups " + config;
    }

    @Override
    public Cluster start(final String cluster, final int n, final Sink sink) throws Exception {
        final Members m = new Members(n);
        final List<String> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                if (tcp) {
                    // TCPPING finds the group through the members started before this one (their actual ports:
                    // tcp.xml binds the first free port from 7800). The file is parsed per channel, so this
                    // takes effect for the channel created next.
                    System.setProperty("jgroups.tcpping.initial_hosts",
                        hosts.isEmpty() ? "127.0.0.1[7800]" : String.join(",", hosts));
                }
                final JChannel ch = new JChannel(config);
                m.channels.add(ch);
                ch.name("m" + i);
                final GMS gms = ch.getProtocolStack().findProtocol(GMS.class);
                if (gms != null) {
                    gms.printLocalAddress(false);
                }
                ch.setReceiver(new Member(i, sink, m.viewSizes));
                ch.connect(cluster);
                if (tcp) {
                    final IpAddress a = (IpAddress) ch.getProtocolStack().getTransport()
                        .getPhysicalAddressFromCache(ch.address());
                    hosts.add("127.0.0.1[" + a.getPort() + "]");
                }
            }
        } catch (final Exception | Error e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** One channel's receiver. JGroups may call it on several threads at once (messages of different senders). */
    private static final class Member implements Receiver {
        private final int index;
        private final Sink sink;
        private final int[] viewSizes;

        Member(final int index, final Sink sink, final int[] viewSizes) {
            this.index = index;
            this.sink = sink;
            this.viewSizes = viewSizes;
        }

        @Override
        public void receive(final Message msg) {
            final byte[] b = msg.getArray();
            final int off = msg.getOffset();
            final int len = msg.getLength();
            if (b == null || len < Payload.HEADER) {
                return;
            }
            sink.deliver(index, Payload.intended(b, off), Payload.sender(b, off), Payload.tag(b, off), len);
        }

        @Override
        public void viewAccepted(final View view) {
            synchronized (viewSizes) {
                viewSizes[index] = view.size();
            }
        }
    }

    private static final class Members implements Cluster {
        final List<JChannel> channels = new ArrayList<>();
        final int[] viewSizes;

        Members(final int n) {
            viewSizes = new int[n];
        }

        @Override
        public void cast(final int member, final byte[] payload) throws Exception {
            // JGroups keeps a reference to the array until the bundler has serialised it: hand it a copy, as an
            // application that reuses its buffer would.
            channels.get(member).send(null, payload.clone());
        }

        @Override
        public int[] viewSizes() {
            synchronized (viewSizes) {
                return viewSizes.clone();
            }
        }

        @Override
        public void close() {
            // Members before the coordinator, so each leave is a plain one rather than a coordinator hand-over.
            for (int i = channels.size() - 1; i >= 0; i--) {
                channels.get(i).close();
            }
        }
    }
}
