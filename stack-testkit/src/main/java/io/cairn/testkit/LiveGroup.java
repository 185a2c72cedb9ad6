package io.cairn.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceEvent;
import io.cairn.testkit.trace.TraceRecorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * N real-time members m0..m(N-1) of one group in this JVM, each recording into one shared trace: for tests over
 * real transports. Each node's config comes from a function of its index (and the nodes started before it, whose
 * transports already exist, so a test can list their addresses).
 */
public final class LiveGroup implements AutoCloseable {
    private final Trace trace = new Trace();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<TraceRecorder> recorders = new ArrayList<>();

    /**
     * @param n          members
     * @param group      group name
     * @param stack      stack name or file
     * @param provides   what the stack provides (the recorded mode)
     * @param nodeConfig node i's config overrides, given the nodes already started
     */
    public LiveGroup(final int n, final String group, final String stack, final java.util.Set<Property> provides,
                     final java.util.function.BiFunction<Integer, List<Node>, Config> nodeConfig) {
        final String names = IntStream.range(0, n).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
        final Config members = ConfigFactory.parseString("cairn.stack.members = [" + names + "]");
        for (int i = 0; i < n; i++) {
            final Node node = Node.builder().name("m" + i).config(nodeConfig.apply(i, List.copyOf(nodes))
                .withFallback(ConfigFactory.load())).build();
            nodes.add(node);
            final TraceRecorder r = new TraceRecorder(trace, provides, null).self(new MemberId("m" + i, 0));
            recorders.add(r);
            final Group g = node.join(group, stack, members, r);
            r.bind(g);
            groups.add(g);
        }
    }

    /**
     * @param g a group
     * @return frames its seal refused: forged, replayed, unsealed, of an unverified session or under a key it lacks
     */
    public static long refusedBySeal(final Group g) {
        final java.util.Map<String, Long> s = g.stats();
        long n = 0;
        for (final String r : new String[] {"forged", "replay", "unsealed", "unverified", "no_key"}) {
            n += s.getOrDefault("stack.reject_" + r, 0L);
        }
        return n;
    }

    /** @return the shared trace */
    public Trace trace() {
        return trace;
    }

    /** @return the nodes, by index */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return the groups, by index */
    public List<Group> groups() {
        return groups;
    }

    /**
     * Every member casts {@code each} payloads of {@code size} bytes from its own thread, once all have a view.
     *
     * @param each casts per member
     * @param size payload bytes, at least 8
     * @throws InterruptedException if interrupted
     */
    public void castFromAll(final int each, final int size) throws InterruptedException {
        // Casts are recorded in the view the recorder has seen, and a cast made before the last member joined is
        // not delivered to it (it was sent in a view without it): wait until every member has installed one view
        // holding them all. Counting installs was not enough: two early views of m0 and one of m1 let casting start
        // while m2 was still joining, and the test then waited for deliveries that virtual synchrony rules out.
        if (!await(this::formed, 10)) {
            throw new IllegalStateException("the group did not form within 10 s");
        }
        final List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            final int k = i;
            final Thread t = new Thread(() -> {
                for (int j = 0; j < each; j++) {
                    recorders.get(k).cast(groups.get(k), new byte[size], Duration.ofSeconds(30));
                }
            });
            senders.add(t);
            t.start();
        }
        for (final Thread t : senders) {
            t.join();
        }
    }

    /**
     * Member {@code i} casts {@code count} recorded payloads from the calling thread.
     *
     * @param i     member index
     * @param count casts
     * @param size  payload bytes, at least 8
     */
    public void castFrom(final int i, final int count, final int size) {
        for (int j = 0; j < count; j++) {
            recorders.get(i).cast(groups.get(i), new byte[size], Duration.ofSeconds(30));
        }
    }

    /**
     * @return whether every member, as its current incarnation (one that rejoined by itself counts as its new
     *     self), saw the same last view, and it holds every member
     */
    public boolean formed() {
        final java.util.Map<String, TraceEvent> last = new java.util.HashMap<>();
        for (final TraceEvent e : trace.events()) {
            if (e.type() == TraceEvent.Type.INSTALL) {
                last.put(e.p(), e);
            }
        }
        final List<TraceEvent> current = groups.stream().map(g -> last.get(g.self().toString())).toList();
        return current.stream().allMatch(java.util.Objects::nonNull)
            && current.stream().map(TraceEvent::vid).distinct().count() == 1
            && current.get(0).members().size() == groups.size();
    }

    /** Records every member's {@code handler_errors} counter into the trace (E1): call it before checking. */
    public void recordHandlerErrors() {
        for (int i = 0; i < groups.size(); i++) {
            recorders.get(i).recordHandlerErrors(groups.get(i));
        }
    }

    /** @return deliveries recorded so far */
    public long delivered() {
        return trace.events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER).count();
    }

    /**
     * Waits for a condition, polling every 5 ms.
     *
     * @param condition the condition
     * @param seconds   bound
     * @return whether it held within the bound
     * @throws InterruptedException if interrupted
     */
    public static boolean await(final BooleanSupplier condition, final long seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
