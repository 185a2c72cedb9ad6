package io.cairn.bench.compare;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.transport.tcp.TcpTransport;
import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Cairn with a shipped stack over a real transport: one {@link Node} per member in this JVM, each joining the
 * group, as {@code cairn bench} starts them. Settings are the defaults (UDP multicast on lo with TTL 0), except the
 * multicast port (this invocation's own) and, over TCP, each node's initial members (the nodes started before it).
 */
final class CairnSystem implements GroupSystem {
    /** How long a cast may wait for back-pressure to clear before the run counts as failed. */
    private static final Duration CAST_TIMEOUT = Duration.ofSeconds(30);
    private final String stack;
    private final String transport;
    private final int mcastPort;

    CairnSystem(final String stack, final String transport, final int mcastPort) {
        this.stack = stack;
        this.transport = transport;
        this.mcastPort = mcastPort;
    }

    @Override
    public String label() {
        return "Cairn " + stack + "/" + transport;
    }

    @Override
    public Cluster start(final String cluster, final int n, final Sink sink) {
        final String names = IntStream.range(0, n).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
        final Config overrides = ConfigFactory.parseString("cairn.stack { members = [" + names + "], transport = "
            + transport + " }");
        final Members m = new Members();
        final List<String> seeds = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                final Map<String, Object> cfg = new HashMap<>();
                cfg.put("cairn.transport.tcp.initial-members", List.copyOf(seeds));
                cfg.put("cairn.transport.udp.multicast-port", mcastPort);
                final Node node = Node.builder().name("m" + i)
                    .config(ConfigFactory.parseMap(cfg).withFallback(ConfigFactory.load())).build();
                m.nodes.add(node);
                m.groups.add(node.join(cluster, stack, overrides, new Member(i, sink)));
                if (transport.equals("tcp")) {
                    final InetSocketAddress a = ((TcpTransport) node.transport("tcp")).localAddress();
                    seeds.add(a.getHostString() + ":" + a.getPort());
                }
            }
        } catch (final RuntimeException | Error e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Deliveries arrive on the member's stack thread, one at a time. */
    private static final class Member implements GroupListener {
        private final int index;
        private final Sink sink;

        Member(final int index, final Sink sink) {
            this.index = index;
            this.sink = sink;
        }

        @Override
        public void onDeliver(final Delivery d) {
            final int len = d.length();
            if (len < Payload.HEADER) {
                return;
            }
            final DirectBuffer b = d.buffer();
            final int off = d.offset();
            sink.deliver(index, b.getLong(off, ByteOrder.LITTLE_ENDIAN), b.getInt(off + 8, ByteOrder.LITTLE_ENDIAN),
                b.getInt(off + 12, ByteOrder.LITTLE_ENDIAN), len);
        }
    }

    private static final class Members implements Cluster {
        final List<Node> nodes = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();

        @Override
        public void cast(final int member, final byte[] payload) {
            groups.get(member).cast(payload, CAST_TIMEOUT);
        }

        @Override
        public int[] viewSizes() {
            final int[] sizes = new int[groups.size()];
            for (int i = 0; i < sizes.length; i++) {
                final View v = groups.get(i).view();
                sizes[i] = v == null ? 0 : v.size();
            }
            return sizes;
        }

        @Override
        public void close() {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
        }
    }
}
