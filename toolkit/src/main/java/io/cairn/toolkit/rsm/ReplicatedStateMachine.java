package io.cairn.toolkit.rsm;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A replicated state machine: commands are cast over a total-order stack and applied by every replica in delivery
 * order; joiners get a snapshot through state transfer. See the package documentation for the guarantees.
 *
 * @param <M> the machine
 */
public final class ReplicatedStateMachine<M extends StateMachine> extends Block {
    private static final byte COMMAND = 1;
    private static final byte READ = 2;

    private final M machine;
    private final Map<Long, CompletableFuture<byte[]>> commands = new ConcurrentHashMap<>();
    private final Map<Long, Runnable> reads = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<?>> readFutures = new ConcurrentHashMap<>();
    private final AtomicLong nextNo = new AtomicLong();
    private final ByteArrayOutputStream incoming = new ByteArrayOutputStream();
    /** Commands applied: the index of the last one (guarded by the machine's monitor). */
    private long index;
    /**
     * A newcomer's first view, not yet shown to the machine: a snapshot taken at that view (which already reflects
     * it) may follow, and applying it to the stale state first would act on state about to be replaced. Applied
     * before the first delivery or the next view when no snapshot came (a founder).
     */
    private View deferred;

    /**
     * @param kind      the block's name in records ({@code rsm}, {@code map}, {@code lock}, ...)
     * @param scheduler timer for retries under back-pressure
     * @param machine   the replicated object
     */
    public ReplicatedStateMachine(final String kind, final Scheduler scheduler, final M machine) {
        super(kind, scheduler, "total", "virtual-synchrony", "state-transfer");
        this.machine = machine;
    }

    /**
     * Joins a group as a replica.
     *
     * @param node    the node
     * @param group   group name
     * @param stack   a total-order stack with state transfer ({@code total}, {@code safe-total}, {@code total-tcp})
     * @param machine this replica's machine (its initial state is used only by the group's founder)
     * @param <M>     the machine's type
     * @return the block
     */
    public static <M extends StateMachine> ReplicatedStateMachine<M> join(final Node node, final String group,
                                                                          final String stack, final M machine) {
        final ReplicatedStateMachine<M> rsm = new ReplicatedStateMachine<>("rsm", Scheduler.shared(), machine);
        node.join(group, stack, rsm);
        return rsm;
    }

    /**
     * Submits a command; it is applied by every replica at the same index.
     *
     * @param command the command
     * @return the machine's result on this replica; fails with the machine's exception when it rejects the command,
     *         or {@link IllegalStateException} when this member is in no view or exits first (the command may or
     *         may not have been applied by the others: make commands idempotent if that matters)
     */
    public CompletableFuture<byte[]> submit(final byte[] command) {
        final CompletableFuture<byte[]> f = new CompletableFuture<>();
        if (notInView(f)) {
            return f;
        }
        final long no = nextNo.incrementAndGet();
        commands.put(no, f);
        cast(ByteBuffer.allocate(9 + command.length).put(COMMAND).putLong(no).put(command).array());
        return f;
    }

    /**
     * Reads this replica's state now: sequentially consistent (it reflects a prefix of the total order, and this
     * member's own completed commands), not linearizable.
     *
     * @param reader what to read
     * @param <T>    result type
     * @return the result
     */
    public <T> T read(final Function<M, T> reader) {
        synchronized (machine) {
            return reader.apply(machine);
        }
    }

    /**
     * Reads through the total order: the read is ordered like a command and runs when this replica reaches it, so it
     * sees every command ordered before it. Linearizable within the primary partition.
     *
     * @param reader what to read (on the stack's thread)
     * @param <T>    result type
     * @return the result
     */
    public <T> CompletableFuture<T> syncRead(final Function<M, T> reader) {
        final CompletableFuture<T> f = new CompletableFuture<>();
        if (notInView(f)) {
            return f;
        }
        final long no = nextNo.incrementAndGet();
        readFutures.put(no, f);
        reads.put(no, () -> {
            try {
                f.complete(reader.apply(machine));
            } catch (final RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        cast(ByteBuffer.allocate(9).put(READ).putLong(no).array());
        return f;
    }

    private boolean notInView(final CompletableFuture<?> f) {
        if (view() == null) {
            f.completeExceptionally(new IllegalStateException(group().name() + ": this member is in no view"
                + " (await the view after joining; after an exit, the next incarnation's view)"));
            return true;
        }
        return false;
    }

    /** @return the index of the last command this replica applied (0 before the first) */
    public long index() {
        synchronized (machine) {
            return index;
        }
    }

    /** @return the machine (read it through {@link #read} from other threads) */
    public M machine() {
        return machine;
    }

    /**
     * Reports an operation of a block built on this one (the map, the counter, the lock service).
     *
     * @param op    what
     * @param name  object
     * @param value value
     * @param at    position
     */
    public void note(final String op, final String name, final String value, final long at) {
        record(op, name, value, at);
    }

    @Override
    protected void deliver(final Delivery d, final byte[] payload) {
        applyDeferredView();
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final byte type = b.get();
        final long no = b.getLong();
        final boolean mine = d.sender().equals(group().self());
        if (type == READ) {
            if (mine) {
                readFutures.remove(no);
                final Runnable r = reads.remove(no);
                if (r != null) {
                    synchronized (machine) {
                        r.run();
                    }
                }
            }
            return;
        }
        final byte[] command = Arrays.copyOfRange(payload, 9, payload.length);
        byte[] result = null;
        RuntimeException rejected = null;
        final long at;
        synchronized (machine) {
            at = ++index;
            try {
                result = machine.apply(at, command);
            } catch (final RuntimeException e) {
                rejected = e;
            }
        }
        record("apply", d.sender() + "/" + no, Integer.toHexString(Arrays.hashCode(command)), at);
        final CompletableFuture<byte[]> f = mine ? commands.remove(no) : null;
        if (f != null) {
            if (rejected != null) {
                f.completeExceptionally(rejected);
            } else {
                f.complete(result);
            }
        }
    }

    @Override
    protected void viewChanged(final View old, final View now) {
        applyDeferredView();
        if (old == null || !old.contains(group().self())) {
            deferred = now;
            return;
        }
        synchronized (machine) {
            machine.viewChanged(now);
        }
    }

    private void applyDeferredView() {
        final View v = deferred;
        if (v != null) {
            deferred = null;
            synchronized (machine) {
                machine.viewChanged(v);
            }
        }
    }

    @Override
    public InputStream provideState(final MemberId joiner) {
        synchronized (machine) {
            final byte[] s = machine.snapshot();
            record("provide", joiner.toString(), "", index);
            return new ByteArrayInputStream(ByteBuffer.allocate(8 + s.length).putLong(index).put(s).array());
        }
    }

    @Override
    public void receiveStateChunk(final byte[] chunk, final boolean last) {
        incoming.writeBytes(chunk);
        if (!last) {
            return;
        }
        final ByteBuffer b = ByteBuffer.wrap(incoming.toByteArray());
        incoming.reset();
        final long at = b.getLong();
        final byte[] s = new byte[b.remaining()];
        b.get(s);
        synchronized (machine) {
            deferred = null;
            index = at;
            machine.restore(s);
        }
        record("restore", "", "", at);
    }

    @Override
    protected void exited(final String reason) {
        incoming.reset();
        deferred = null;
        final IllegalStateException e = new IllegalStateException(group().name() + ": this member exited the group ("
            + reason + ") before its command or read was ordered");
        for (final Long no : new ArrayList<>(commands.keySet())) {
            final CompletableFuture<byte[]> f = commands.remove(no);
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
        reads.clear();
        for (final Long no : new ArrayList<>(readFutures.keySet())) {
            final CompletableFuture<?> f = readFutures.remove(no);
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
    }
}
