package io.cairn.toolkit.consensus;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Consensus by the view's leader: for each named instance the leader asks every member for its input, decides by
 * majority once most of the view answered, and casts the decision. See the package documentation.
 */
public final class Consensus extends Block {
    private static final byte START = 1;
    private static final byte ASK = 2;
    private static final byte INPUT = 3;
    private static final byte DECIDE = 4;

    private final Function<String, byte[]> input;
    /** Decisions, by instance (stack thread; read by other threads through {@link #decision}). */
    private final Map<String, byte[]> decided = new ConcurrentHashMap<>();
    /** Instances started and not decided. */
    private final Map<String, Boolean> open = new TreeMap<>();
    /** The leader's collection of inputs: instance to (member to input), for the current round. */
    private final Map<String, Map<MemberId, byte[]>> inputs = new HashMap<>();
    private final Map<String, List<CompletableFuture<byte[]>>> waiting = new ConcurrentHashMap<>();

    /**
     * @param scheduler timer for retries under back-pressure
     * @param input     this member's input for an instance (asked on the stack's thread, possibly more than once:
     *                  answer the same each time)
     */
    public Consensus(final Scheduler scheduler, final Function<String, byte[]> input) {
        super("consensus", scheduler, "virtual-synchrony", "state-transfer");
        this.input = input;
    }

    /**
     * @param node  the node
     * @param group group name
     * @param stack a stack with virtual synchrony and state transfer ({@code vsync}, {@code total})
     * @param input this member's input per instance
     * @return the block
     */
    public static Consensus join(final Node node, final String group, final String stack,
                                 final Function<String, byte[]> input) {
        final Consensus c = new Consensus(Scheduler.shared(), input);
        node.join(group, stack, c);
        return c;
    }

    /**
     * Starts (or joins) the instance and waits for its decision.
     *
     * @param instance the instance's name
     * @return the decision, the same at every member; fails when this member exits first
     */
    public CompletableFuture<byte[]> decide(final String instance) {
        final CompletableFuture<byte[]> f = new CompletableFuture<>();
        final byte[] known = decided.get(instance);
        if (known != null) {
            f.complete(known);
            return f;
        }
        if (instance.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new IllegalArgumentException("instance name longer than 1024 B: " + instance.length() + " chars");
        }
        if (view() == null) {
            f.completeExceptionally(new IllegalStateException(group().name() + ": this member is in no view"));
            return f;
        }
        waiting.computeIfAbsent(instance, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(f);
        // Checked again after registering: a decision that landed in between has already emptied the waiters.
        final byte[] now = decided.get(instance);
        if (now != null) {
            f.complete(now);
            return f;
        }
        cast(frame(START, instance, 0, new byte[0]));
        return f;
    }

    /**
     * @param instance the instance
     * @return its decision as this member knows it, or null
     */
    public byte[] decision(final String instance) {
        return decided.get(instance);
    }

    /** @return instances this member waits for */
    public int pending() {
        return waiting.size();
    }

    private static byte[] frame(final byte type, final String instance, final long round, final byte[] value) {
        final byte[] n = instance.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(11 + n.length + value.length).put(type).putShort((short) n.length).put(n)
            .putLong(round).put(value).array();
    }

    @Override
    protected void deliver(final Delivery d, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final byte type = b.get();
        final byte[] n = new byte[b.getShort()];
        b.get(n);
        final String instance = new String(n, StandardCharsets.UTF_8);
        final long round = b.getLong();
        final byte[] value = new byte[b.remaining()];
        b.get(value);
        final View v = view();
        switch (type) {
            case START -> {
                if (decided.containsKey(instance)) {
                    if (isLeader()) {
                        // Someone who asked has not seen the decision (it joined later, or asked before it knew).
                        cast(frame(DECIDE, instance, round, decided.get(instance)));
                    }
                } else if (open.putIfAbsent(instance, Boolean.TRUE) == null && isLeader()) {
                    ask(instance, v);
                }
            }
            case ASK -> {
                if (round == v.id().epoch() && d.sender().equals(leader()) && !decided.containsKey(instance)) {
                    open.putIfAbsent(instance, Boolean.TRUE);
                    final byte[] mine = input.apply(instance);
                    record("input", instance, text(mine), round);
                    cast(frame(INPUT, instance, round, mine));
                }
            }
            case INPUT -> {
                final Map<MemberId, byte[]> got = inputs.get(instance);
                if (isLeader() && round == v.id().epoch() && got != null && v.contains(d.sender())) {
                    got.put(d.sender(), value);
                    if (got.size() > v.size() / 2) {
                        inputs.remove(instance);
                        cast(frame(DECIDE, instance, round, majority(got)));
                    }
                }
            }
            default -> decided(instance, value, round);
        }
    }

    private void ask(final String instance, final View v) {
        inputs.put(instance, new HashMap<>());
        cast(frame(ASK, instance, v.id().epoch(), new byte[0]));
    }

    /**
     * The most frequent input; ties go to the smallest in unsigned byte order, so the choice depends only on the
     * inputs, not on the order they arrived in.
     */
    private static byte[] majority(final Map<MemberId, byte[]> got) {
        final List<byte[]> values = new ArrayList<>(got.values());
        values.sort(Arrays::compareUnsigned);
        byte[] best = null;
        int bestCount = 0;
        for (int i = 0; i < values.size(); ) {
            int j = i;
            while (j < values.size() && Arrays.equals(values.get(j), values.get(i))) {
                j++;
            }
            if (j - i > bestCount) {
                best = values.get(i);
                bestCount = j - i;
            }
            i = j;
        }
        return best;
    }

    private void decided(final String instance, final byte[] value, final long round) {
        if (decided.putIfAbsent(instance, value) != null) {
            return;
        }
        open.remove(instance);
        inputs.remove(instance);
        record("decide", instance, text(value), round);
        final List<CompletableFuture<byte[]>> fs = waiting.remove(instance);
        if (fs != null) {
            fs.forEach(f -> f.complete(value));
        }
    }

    private static String text(final byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    @Override
    protected void viewChanged(final View old, final View now) {
        // Inputs of a round belong to its view: a new view starts every open instance's round again, led by the
        // new view's leader (which may be the same member).
        inputs.clear();
        if (isLeader()) {
            for (final String instance : new ArrayList<>(open.keySet())) {
                ask(instance, now);
            }
        }
    }

    @Override
    public InputStream provideState(final MemberId joiner) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> names = new ArrayList<>(decided.keySet());
        out.writeBytes(ByteBuffer.allocate(4).putInt(names.size() + open.size()).array());
        for (final String name : names) {
            out.writeBytes(entry(name, decided.get(name)));
        }
        for (final String name : open.keySet()) {
            out.writeBytes(entry(name, null));
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static byte[] entry(final String name, final byte[] value) {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final int len = value == null ? -1 : value.length;
        final ByteBuffer b = ByteBuffer.allocate(6 + n.length + Math.max(0, len)).putShort((short) n.length).put(n)
            .putInt(len);
        if (value != null) {
            b.put(value);
        }
        return b.array();
    }

    @Override
    protected void receiveState(final ByteBuffer b) {
        for (int k = b.getInt(); k > 0; k--) {
            final byte[] n = new byte[b.getShort()];
            b.get(n);
            final int len = b.getInt();
            final String name = new String(n, StandardCharsets.UTF_8);
            if (len < 0) {
                open.putIfAbsent(name, Boolean.TRUE);
            } else {
                // The group's decision replaces whatever this member kept from an earlier life.
                final byte[] v = new byte[len];
                b.get(v);
                decided.remove(name);
                decided(name, v, -1);
            }
        }
    }

    @Override
    protected void exited(final String reason) {
        if (!reason.startsWith("left")) {
            // Cut off or excluded: its last view may hold a decision the group did not make (a non-uniform
            // stack delivers a cut-off leader's own DECIDE). The next incarnation learns the group's by state transfer.
            decided.clear();
        }
        open.clear();
        inputs.clear();
        final IllegalStateException e = new IllegalStateException(group().name() + ": this member exited the group ("
            + reason + ") before the decision");
        for (final String instance : new ArrayList<>(waiting.keySet())) {
            final List<CompletableFuture<byte[]>> fs = waiting.remove(instance);
            if (fs != null) {
                fs.forEach(f -> f.completeExceptionally(e));
            }
        }
    }
}
