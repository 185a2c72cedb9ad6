package io.cairn.toolkit.pubsub;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Publish/subscribe over lightweight groups: topics map onto a bounded set of groups (a stable hash onto K groups by
 * default, or a group of its own for a hot topic), and receivers drop what is not theirs. A node joins a topic's
 * group the first time it publishes or subscribes to a topic there. See the package documentation.
 */
public final class PubSub implements AutoCloseable {
    private static final int MAX_TOPIC = 1024;

    /** Receives a topic's messages. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param topic   the topic
         * @param from    the publisher
         * @param payload the message (the callee may keep it)
         */
        void onMessage(String topic, MemberId from, byte[] payload);
    }

    /** A subscription; closing it unsubscribes. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Joins a topic group: how the application joins (stack, overrides such as seed members, transport). */
    @FunctionalInterface
    public interface Joiner {
        /**
         * @param group    the group's name
         * @param listener the topic group's listener
         * @return the joined group
         */
        io.cairn.api.Group join(String group, io.cairn.api.GroupListener listener);
    }

    private final Joiner joiner;
    private final String prefix;
    private final int groups;
    private final Scheduler scheduler;
    private final Map<String, String> dedicated = new ConcurrentHashMap<>();
    private final Map<String, TopicGroup> joined = new ConcurrentHashMap<>();
    private final Map<String, CopyOnWriteArrayList<Handler>> handlers = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();

    /**
     * @param node   the node
     * @param prefix group names are {@code prefix-0 .. prefix-(K-1)} and {@code prefix-topic-T} for dedicated ones
     * @param stack  the stack every topic group runs (its ordering is each topic's ordering)
     * @param groups K, the number of shared groups topics hash onto
     */
    public PubSub(final Node node, final String prefix, final String stack, final int groups) {
        this((group, listener) -> node.join(group, stack, listener), prefix, groups, Scheduler.shared());
    }

    /**
     * @param joiner    joins a topic group the way the application wants (stack, seed members, transport)
     * @param prefix    group names are {@code prefix-0 .. prefix-(K-1)} and {@code prefix-topic-T} for dedicated ones
     * @param groups    K, the number of shared groups topics hash onto
     * @param scheduler timer for retries under back-pressure
     */
    public PubSub(final Joiner joiner, final String prefix, final int groups, final Scheduler scheduler) {
        if (groups < 1) {
            throw new IllegalArgumentException("PubSub needs at least one group, got " + groups);
        }
        this.joiner = joiner;
        this.prefix = prefix;
        this.groups = groups;
        this.scheduler = scheduler;
    }

    /**
     * Gives a hot topic a group of its own, so that its traffic reaches only its subscribers. Every member must
     * dedicate the same topics (the mapping is configuration, not negotiated).
     *
     * @param topic the topic
     * @return this
     */
    public PubSub dedicate(final String topic) {
        dedicated.put(topic, prefix + "-topic-" + topic);
        return this;
    }

    /**
     * @param topic a topic
     * @return the group it maps onto
     */
    public String groupOf(final String topic) {
        final String d = dedicated.get(topic);
        if (d != null) {
            return d;
        }
        // FNV-1a: stable across processes and JVM versions (String.hashCode would do, but is not specified for this).
        int h = 0x811c9dc5;
        for (final byte b : topic.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return prefix + "-" + Math.floorMod(h, groups);
    }

    /**
     * Publishes on a topic, with the ordering of its group's stack. Never blocks: under back-pressure the message
     * waits in the group's outbox (use {@link #tryPublish} to stop at a bound).
     *
     * @param topic   the topic
     * @param payload the message
     */
    public void publish(final String topic, final byte[] payload) {
        final byte[] t = topic(topic);
        published.incrementAndGet();
        group(groupOf(topic)).publish(ByteBuffer.allocate(2 + t.length + payload.length).putShort((short) t.length)
            .put(t).put(payload).array());
    }

    /**
     * Publishes unless the topic's group already holds {@code maxBacklog} messages the stack has not taken.
     *
     * @param topic      the topic
     * @param payload    the message
     * @param maxBacklog the bound
     * @return false when the group is that far behind (nothing was published)
     */
    public boolean tryPublish(final String topic, final byte[] payload, final int maxBacklog) {
        if (group(groupOf(topic)).backlog() >= maxBacklog) {
            return false;
        }
        publish(topic, payload);
        return true;
    }

    /**
     * @param topic   the topic
     * @param handler its messages, on the stack thread of its group
     * @return the subscription
     */
    public Subscription subscribe(final String topic, final Handler handler) {
        topic(topic);
        handlers.computeIfAbsent(topic, k -> new CopyOnWriteArrayList<>()).add(handler);
        group(groupOf(topic));
        return () -> handlers.computeIfPresent(topic, (k, list) -> {
            list.remove(handler);
            return list.isEmpty() ? null : list;
        });
    }

    private static byte[] topic(final String topic) {
        final byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        if (t.length > MAX_TOPIC) {
            throw new IllegalArgumentException("topic of " + t.length + " B: at most " + MAX_TOPIC + " B");
        }
        return t;
    }

    private TopicGroup group(final String name) {
        return joined.computeIfAbsent(name, n -> {
            final TopicGroup g = new TopicGroup(scheduler);
            joiner.join(n, g);
            return g;
        });
    }

    /** @return the groups this node joined, and their views' sizes */
    public Map<String, Integer> groups() {
        final Map<String, Integer> out = new TreeMap<>();
        joined.forEach((name, g) -> out.put(name, g.view() == null ? 0 : g.view().size()));
        return out;
    }

    /** @return topics this node subscribes to */
    public Set<String> subscriptions() {
        return Set.copyOf(handlers.keySet());
    }

    /**
     * @return counters: {@code published}, {@code delivered} (to a handler here) and {@code filtered} (a message of
     *         a topic nobody here subscribes to, dropped: the price of sharing groups between topics)
     */
    public Map<String, Long> stats() {
        return Map.of("published", published.get(), "delivered", delivered.get(), "filtered", filtered.get());
    }

    /** Leaves every topic group. */
    @Override
    public void close() {
        joined.values().forEach(Block::close);
    }

    /** One lightweight group: the topics that map onto it share it. */
    private final class TopicGroup extends Block {
        TopicGroup(final Scheduler scheduler) {
            super("pubsub", scheduler, "virtual-synchrony");
        }

        void publish(final byte[] frame) {
            cast(frame);
        }

        @Override
        protected int backlog() {
            return super.backlog();
        }

        @Override
        protected void deliver(final Delivery d, final byte[] payload) {
            final ByteBuffer b = ByteBuffer.wrap(payload);
            final byte[] t = new byte[b.getShort()];
            b.get(t);
            final String topic = new String(t, StandardCharsets.UTF_8);
            final CopyOnWriteArrayList<Handler> hs = handlers.get(topic);
            if (hs == null) {
                filtered.incrementAndGet();
                return;
            }
            final byte[] body = new byte[b.remaining()];
            b.get(body);
            delivered.incrementAndGet();
            for (final Handler h : hs) {
                callback(() -> h.onMessage(topic, d.sender(), body));
            }
        }
    }
}
