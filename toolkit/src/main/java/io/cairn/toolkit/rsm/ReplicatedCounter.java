package io.cairn.toolkit.rsm;

import io.cairn.api.Node;
import io.cairn.toolkit.Scheduler;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A 64-bit counter replicated over a total-order stack (commands of a {@link ReplicatedStateMachine}):
 * {@link #addAndGet} and {@link #compareAndSet} are applied in one order everywhere; {@link #get} reads the local
 * replica (sequentially consistent), {@link #syncGet} through the order (linearizable within the primary partition).
 */
public final class ReplicatedCounter {
    private static final byte ADD = 1;
    private static final byte CAS = 2;

    private final ReplicatedStateMachine<Machine> rsm;

    /** @param scheduler timer for retries under back-pressure */
    public ReplicatedCounter(final Scheduler scheduler) {
        this.rsm = new ReplicatedStateMachine<>("counter", scheduler, new Machine());
    }

    /**
     * @param node  the node
     * @param group group name
     * @param stack a total-order stack with state transfer ({@code total})
     * @return the counter
     */
    public static ReplicatedCounter join(final Node node, final String group, final String stack) {
        final ReplicatedCounter c = new ReplicatedCounter(Scheduler.shared());
        node.join(group, stack, c.block());
        return c;
    }

    /** @return the block underneath */
    public ReplicatedStateMachine<?> block() {
        return rsm;
    }

    /**
     * @param delta amount to add
     * @return the value after the addition, at its place in the order
     */
    public CompletableFuture<Long> addAndGet(final long delta) {
        return rsm.submit(ByteBuffer.allocate(9).put(ADD).putLong(delta).array())
            .thenApply(r -> ByteBuffer.wrap(r).getLong());
    }

    /**
     * @param expect the value expected
     * @param update the new value
     * @return whether the counter held {@code expect} at the command's place in the order (and now holds
     *         {@code update})
     */
    public CompletableFuture<Boolean> compareAndSet(final long expect, final long update) {
        return rsm.submit(ByteBuffer.allocate(17).put(CAS).putLong(expect).putLong(update).array())
            .thenApply(r -> r[0] == 1);
    }

    /** @return the local replica's value */
    public long get() {
        return rsm.read(m -> m.value);
    }

    /** @return the value at the read's place in the order */
    public CompletableFuture<Long> syncGet() {
        return rsm.syncRead(m -> m.value);
    }

    /** The counter as a state machine. */
    static final class Machine implements StateMachine {
        long value;

        @Override
        public byte[] apply(final long index, final byte[] command) {
            final ByteBuffer b = ByteBuffer.wrap(command);
            if (b.get() == ADD) {
                value += b.getLong();
                return ByteBuffer.allocate(8).putLong(value).array();
            }
            final long expect = b.getLong();
            final long update = b.getLong();
            final boolean ok = value == expect;
            if (ok) {
                value = update;
            }
            return new byte[] {(byte) (ok ? 1 : 0)};
        }

        @Override
        public byte[] snapshot() {
            return ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public void restore(final byte[] snapshot) {
            value = ByteBuffer.wrap(snapshot).getLong();
        }
    }
}
