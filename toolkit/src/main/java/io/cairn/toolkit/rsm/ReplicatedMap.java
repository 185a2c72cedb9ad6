package io.cairn.toolkit.rsm;

import io.cairn.api.Node;
import io.cairn.toolkit.Codec;
import io.cairn.toolkit.Scheduler;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A map replicated on every member of a group over a total-order stack: writes are commands of a
 * {@link ReplicatedStateMachine}. {@link #get} reads the local replica (sequentially consistent); {@link #syncGet}
 * reads through the total order (linearizable within the primary partition).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ReplicatedMap<K, V> {
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;

    private final ReplicatedStateMachine<Machine> rsm;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final AtomicLong ops = new AtomicLong();

    /**
     * @param scheduler timer for retries under back-pressure
     * @param keys      key codec
     * @param values    value codec
     */
    public ReplicatedMap(final Scheduler scheduler, final Codec<K> keys, final Codec<V> values) {
        this.keys = keys;
        this.values = values;
        this.rsm = new ReplicatedStateMachine<>("map", scheduler, new Machine());
    }

    /**
     * Joins a group as a replica of the map.
     *
     * @param node   the node
     * @param group  group name
     * @param stack  a total-order stack with state transfer ({@code total})
     * @param keys   key codec
     * @param values value codec
     * @param <K>    key type
     * @param <V>    value type
     * @return the map
     */
    public static <K, V> ReplicatedMap<K, V> join(final Node node, final String group, final String stack,
                                                  final Codec<K> keys, final Codec<V> values) {
        final ReplicatedMap<K, V> map = new ReplicatedMap<>(Scheduler.shared(), keys, values);
        node.join(group, stack, map.block());
        return map;
    }

    /** @return the block underneath (view, leader, recorder, leave, close) */
    public ReplicatedStateMachine<?> block() {
        return rsm;
    }

    /**
     * @param key   key
     * @param value value
     * @return the previous value (null if none), once the write is applied here
     */
    public CompletableFuture<V> put(final K key, final V value) {
        final byte[] k = keys.encode(key);
        final byte[] v = values.encode(value);
        return write(ByteBuffer.allocate(5 + k.length + v.length).put(PUT).putInt(k.length).put(k).put(v).array(),
            "put", key, String.valueOf(value));
    }

    /**
     * @param key key
     * @return the removed value (null if none), once the removal is applied here
     */
    public CompletableFuture<V> remove(final K key) {
        final byte[] k = keys.encode(key);
        return write(ByteBuffer.allocate(5 + k.length).put(REMOVE).putInt(k.length).put(k).array(), "remove", key,
            "");
    }

    private CompletableFuture<V> write(final byte[] command, final String op, final K key, final String value) {
        final long no = ops.incrementAndGet();
        rsm.note("invoke", String.valueOf(key), "#" + no + " " + op, -1);
        return rsm.submit(command).thenApply(prev -> {
            // Completed on the stack's thread right after the apply, so index() is the write's own index.
            final V p = prev == null ? null : values.decode(prev);
            rsm.note(op, String.valueOf(key), "#" + no + " " + value + " prev=" + p, rsm.index());
            return p;
        });
    }

    /**
     * Reads the local replica: sequentially consistent (a prefix of the total order that includes this member's
     * own completed writes), possibly behind other members.
     *
     * @param key key
     * @return its value here, or null
     */
    public V get(final K key) {
        final long no = ops.incrementAndGet();
        final ByteBuffer k = ByteBuffer.wrap(keys.encode(key));
        return rsm.read(m -> {
            final byte[] v = m.data.get(k);
            rsm.note("invoke", String.valueOf(key), "#" + no + " get", -1);
            rsm.note("get", String.valueOf(key), "#" + no + " =" + (v == null ? "null" : values.decode(v)),
                rsm.index());
            return v == null ? null : values.decode(v);
        });
    }

    /**
     * Reads through the total order: linearizable within the primary partition.
     *
     * @param key key
     * @return its value at the read's place in the order
     */
    public CompletableFuture<V> syncGet(final K key) {
        final long no = ops.incrementAndGet();
        rsm.note("invoke", String.valueOf(key), "#" + no + " syncGet", -1);
        final ByteBuffer k = ByteBuffer.wrap(keys.encode(key));
        return rsm.syncRead(m -> {
            final byte[] v = m.data.get(k);
            rsm.note("syncGet", String.valueOf(key), "#" + no + " =" + (v == null ? "null" : values.decode(v)),
                rsm.index());
            return v == null ? null : values.decode(v);
        });
    }

    /** @return a copy of the local replica */
    public Map<K, V> toMap() {
        return rsm.read(m -> {
            final Map<K, V> copy = new LinkedHashMap<>();
            m.data.forEach((k, v) -> copy.put(keys.decode(bytes(k)), values.decode(v)));
            return copy;
        });
    }

    /** @return the number of entries in the local replica */
    public int size() {
        return rsm.read(m -> m.data.size());
    }

    private static byte[] bytes(final ByteBuffer b) {
        final byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** The map as a state machine over encoded keys and values. */
    final class Machine implements StateMachine {
        final Map<ByteBuffer, byte[]> data = new HashMap<>();

        @Override
        public byte[] apply(final long index, final byte[] command) {
            final ByteBuffer b = ByteBuffer.wrap(command);
            final byte op = b.get();
            final byte[] k = new byte[b.getInt()];
            b.get(k);
            final ByteBuffer key = ByteBuffer.wrap(k);
            final String name = String.valueOf(keys.decode(k));
            if (op == PUT) {
                final byte[] v = new byte[b.remaining()];
                b.get(v);
                rsm.note("w", name, String.valueOf(values.decode(v)), index);
                return data.put(key, v);
            }
            rsm.note("w", name, "null", index);
            return data.remove(key);
        }

        @Override
        public byte[] snapshot() {
            int size = 4;
            for (final Map.Entry<ByteBuffer, byte[]> e : data.entrySet()) {
                size += 8 + e.getKey().remaining() + e.getValue().length;
            }
            final ByteBuffer out = ByteBuffer.allocate(size).putInt(data.size());
            for (final Map.Entry<ByteBuffer, byte[]> e : data.entrySet()) {
                out.putInt(e.getKey().remaining()).put(e.getKey().duplicate()).putInt(e.getValue().length)
                    .put(e.getValue());
            }
            return out.array();
        }

        @Override
        public void restore(final byte[] snapshot) {
            data.clear();
            final ByteBuffer in = ByteBuffer.wrap(snapshot);
            for (int n = in.getInt(); n > 0; n--) {
                final byte[] k = new byte[in.getInt()];
                in.get(k);
                final byte[] v = new byte[in.getInt()];
                in.get(v);
                data.put(ByteBuffer.wrap(k), v);
            }
        }
    }
}
