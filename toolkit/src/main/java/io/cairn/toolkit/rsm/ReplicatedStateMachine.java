package io.cairn.toolkit.rsm;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.io.ByteArrayInputStream;
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
    private static final byte SYNC = 3;

    private final M machine;
    private final Map<Long, CompletableFuture<byte[]>> commands = new ConcurrentHashMap<>();
    /** This member's reads through the order, until its barrier is delivered. */
    private final Map<Long, Read> reads = new ConcurrentHashMap<>();
    private final AtomicLong nextNo = new AtomicLong();
    /** Commands applied: the index of the last one (guarded by the machine's monitor). */
    private long index;
    /**
     * A newcomer's view, not yet shown to the machine: this replica waits for the group's state. A joiner gets it by
     * state transfer before anything of the view is delivered (the snapshot already reflects the view). In a
     * founding view (every member new: its coordinator is a newcomer) no state transfer runs, so the coordinator
     * casts {@code SYNC(index, snapshot)} and every founder adopts the first one it delivers, dropping the
     * commands ordered before it (their submitters' futures fail): founders that kept state from an earlier life of
     * the group (after it lost its primary partition entirely) would otherwise diverge. Null when current.
     */
    private View deferred;
    /**
     * This member's commands and reads issued while it waits for the group's state (a joiner before its snapshot, a
     * founder before SYNC): sent once it has the state, so that none is ordered before SYNC and refused.
     */
    private final java.util.List<byte[]> held = new java.util.ArrayList<>();
    /**
     * Why this replica's state is not the group's (null when it is): it exited other than by a graceful leave, so
     * its last view's deliveries may hold commands the group ordered otherwise (a non-uniform stack's cut-off
     * sequencer applies its own). Cleared by the next state transfer, or by founding a group.
     */
    private volatile String stale;

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
        if (view() == null && commands.remove(no) != null) {
            // Exited between the check and the registration: exited() did not see this future.
            notInView(f);
            return f;
        }
        castWhenCurrent(ByteBuffer.allocate(9 + command.length).put(COMMAND).putLong(no).put(command).array());
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
        final String why = stale;
        if (why != null) {
            throw new IllegalStateException(group().name() + ": this replica is not current (" + why + "); it will"
                + " be once it rejoins and receives the group's state (use syncRead to wait for that)");
        }
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
        reads.put(no, new Read(f, () -> {
            try {
                f.complete(reader.apply(machine));
            } catch (final RuntimeException e) {
                f.completeExceptionally(e);
            }
        }));
        if (view() == null && reads.remove(no) != null) {
            notInView(f);
            return f;
        }
        castWhenCurrent(ByteBuffer.allocate(9).put(READ).putLong(no).array());
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

    /** @return whether local reads reflect the group's state (false after an exit, until the state arrives again) */
    public boolean isCurrent() {
        return stale == null;
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
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final byte type = b.get();
        final long no = b.getLong();
        final boolean mine = d.sender().equals(group().self());
        if (type == SYNC) {
            adopt(d, b);
            return;
        }
        if (deferred != null) {
            // A delivery before any state: a founding view, whose SYNC is still ahead in the order.
            refuse(mine, type, no);
            return;
        }
        if (type == READ) {
            final Read r = mine ? reads.remove(no) : null;
            if (r != null) {
                synchronized (machine) {
                    r.run().run();
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
                result = machine.apply(at, d.sender(), command);
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
        final MemberId self = group().self();
        if (deferred != null || old == null || !old.contains(self)) {
            synchronized (machine) {
                deferred = now;
            }
            if (now.coordinator().equals(self)) {
                // The oldest member is new, so every member is: a founding view. Give the founders one state.
                synchronized (machine) {
                    final byte[] s = machine.snapshot();
                    cast(ByteBuffer.allocate(17 + s.length).put(SYNC).putLong(0).putLong(index).put(s).array());
                }
            }
            return;
        }
        synchronized (machine) {
            machine.viewChanged(now);
        }
    }

    /** Casts a command or read now, or holds it until this replica has the group's state. */
    private void castWhenCurrent(final byte[] frame) {
        synchronized (machine) {
            if (deferred != null) {
                held.add(frame);
                return;
            }
        }
        cast(frame);
    }

    /** Sends what was held while waiting for the state (under the machine's monitor, in issue order). */
    private void release() {
        for (final byte[] frame : held) {
            cast(frame);
        }
        held.clear();
    }

    /** A founding view's SYNC: adopt its state if this replica still waits for one. */
    private void adopt(final Delivery d, final ByteBuffer b) {
        final View v = deferred;
        if (v == null) {
            return;
        }
        restore(b, d.sender().toString(), "sync", true);
    }

    /**
     * Replaces this replica's state with the group's ({@code index, snapshot} in {@code b}) and makes it current;
     * a founding SYNC also shows the machine the view, which a joiner's snapshot already reflects.
     */
    private void restore(final ByteBuffer b, final String from, final String how, final boolean showView) {
        final long at = b.getLong();
        final byte[] s = new byte[b.remaining()];
        b.get(s);
        synchronized (machine) {
            index = at;
            // Recorded first: a machine may report what the snapshot holds (the lock table's holders).
            record("restore", from, how, at);
            machine.restore(s);
            if (showView) {
                machine.viewChanged(view());
            }
            // Current only once restored: a machine that throws leaves the replica not current.
            deferred = null;
            stale = null;
            release();
        }
    }

    /** Drops a command or read ordered before a founding view's SYNC; fails it if it is this member's. */
    private void refuse(final boolean mine, final byte type, final long no) {
        if (!mine) {
            return;
        }
        final IllegalStateException e = new IllegalStateException(group().name() + ": the group was founded anew"
            + " and this command was ordered before its members agreed on one state; submit it again");
        final Read r = type == READ ? reads.remove(no) : null;
        final CompletableFuture<?> f = r != null ? r.future() : commands.remove(no);
        if (f != null) {
            f.completeExceptionally(e);
        }
    }

    @Override
    public InputStream provideState(final MemberId joiner) {
        synchronized (machine) {
            if (deferred != null) {
                // This provider is itself a founder waiting for its founding view's SYNC: the joiner must wait for
                // the same SYNC (the coordinator casts it again in this view) rather than take unsynced state.
                record("provide", joiner.toString(), "unsynced", index);
                return new ByteArrayInputStream(new byte[] {1});
            }
            final byte[] s = machine.snapshot();
            record("provide", joiner.toString(), "", index);
            return new ByteArrayInputStream(ByteBuffer.allocate(9 + s.length).put((byte) 0).putLong(index).put(s)
                .array());
        }
    }

    @Override
    protected void receiveState(final ByteBuffer b) {
        if (b.get() == 1) {
            // The provider waits for its founding view's SYNC: so does this joiner (it stays deferred).
            return;
        }
        restore(b, "", "", false);
    }

    @Override
    protected void exited(final String reason) {
        synchronized (machine) {
            deferred = null;
            held.clear();
        }
        if (!reason.startsWith("left")) {
            stale = "exited: " + reason;
        }
        final IllegalStateException e = new IllegalStateException(group().name() + ": this member exited the group ("
            + reason + ") before its command or read was ordered");
        failAll(commands, e);
        for (final Long no : new ArrayList<>(reads.keySet())) {
            final Read r = reads.remove(no);
            if (r != null) {
                r.future().completeExceptionally(e);
            }
        }
    }

    /** A read through the order: its future, and what runs when its barrier is delivered here. */
    private record Read(CompletableFuture<?> future, Runnable run) {
    }
}
