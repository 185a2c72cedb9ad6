package io.cairn.bench.stack;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** N members of one stack in this JVM over a private in-process network, each counting its deliveries. */
final class StackGroups implements AutoCloseable {
    private final List<Node> nodes = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final AtomicLong[] delivered;
    private final UnsafeBuffer payload;
    private final int size;
    private long expected;

    private StackGroups(final int members, final int size) {
        this.delivered = new AtomicLong[members];
        this.payload = new UnsafeBuffer(new byte[size]);
        this.size = size;
    }

    static StackGroups start(final String stack, final int members, final int size) {
        final String network = "bench-" + System.nanoTime();
        return start(stack, members, size, i -> ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network",
            network)));
    }

    /**
     * @param nodeConfig node i's config overrides (its transport's settings)
     */
    static StackGroups start(final String stack, final int members, final int size,
                             final java.util.function.IntFunction<Config> nodeConfig) {
        return start(stack, members, size, nodeConfig, ConfigFactory.empty());
    }

    /**
     * @param joinOverrides over the stack file (e.g. {@code cairn.stack.transport = udp})
     */
    static StackGroups start(final String stack, final int members, final int size,
                             final java.util.function.IntFunction<Config> nodeConfig, final Config joinOverrides) {
        final StackGroups s = new StackGroups(members, size);
        final String names = IntStream.range(0, members).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
        final Config overrides = joinOverrides.withFallback(ConfigFactory.parseString("cairn.stack.members = ["
            + names + "]"));
        for (int i = 0; i < members; i++) {
            final AtomicLong counter = new AtomicLong();
            s.delivered[i] = counter;
            // Stacks with encrypt run with the testkit's secret (a benchmark's secret protects nothing).
            final Config cfg = nodeConfig.apply(i).withFallback(ConfigFactory.parseMap(Map.of(
                "cairn.layer.encrypt.secret-file", io.cairn.testkit.TestSecret.file().toString())))
                .withFallback(ConfigFactory.load());
            final Node n = Node.builder().name("m" + i).config(cfg).build();
            s.nodes.add(n);
            s.groups.add(n.join("bench", stack, overrides, new GroupListener() {
                @Override
                public void onDeliver(final Delivery d) {
                    counter.lazySet(counter.get() + 1);
                }
            }));
        }
        return s;
    }

    /** Casts one payload from member 0, spinning while the stack pushes back. */
    void cast() {
        final Group g = groups.get(0);
        while (!g.tryCast(payload, 0, size)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until every member delivered {@code n} more messages.
     *
     * @param n messages cast since the last wait
     * @return the running total
     */
    long awaitAll(final int n) {
        expected += n;
        for (final AtomicLong d : delivered) {
            while (d.get() < expected) {
                Thread.yield();
            }
        }
        return expected;
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
