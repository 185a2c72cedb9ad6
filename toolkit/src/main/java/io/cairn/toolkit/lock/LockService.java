package io.cairn.toolkit.lock;

import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Scheduler;
import io.cairn.toolkit.rsm.ReplicatedStateMachine;
import io.cairn.toolkit.rsm.StateMachine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Named locks over a total-order stack: requests queue in the total order and are granted first come, first
 * served; a lock held or awaited by a member that crashes, leaves or is excluded is released at the view change.
 * See the package documentation.
 */
public final class LockService {
    private static final byte LOCK = 1;
    private static final byte UNLOCK = 2;
    private static final byte CANCEL = 3;
    private static final int MAX_NAME = 1024;

    private final ReplicatedStateMachine<Machine> rsm;
    private final Scheduler scheduler;
    private final AtomicLong nextNo = new AtomicLong();
    /** This member's requests not granted yet, by number. */
    private final Map<Long, CompletableFuture<Boolean>> waiting = new ConcurrentHashMap<>();
    /** Locks this member holds: name to request number. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private volatile Consumer<String> onLost = name -> {
    };

    /** @param scheduler timer for time-outs and retries */
    public LockService(final Scheduler scheduler) {
        this.scheduler = scheduler;
        this.rsm = new ReplicatedStateMachine<>("lock", scheduler, new Machine());
        rsm.whenExited(this::exited);
    }

    private void exited(final String reason) {
        final IllegalStateException e = new IllegalStateException("lock service on group '" + rsm.group().name()
            + "': this member exited the group (" + reason + ")");
        for (final Long no : new ArrayList<>(waiting.keySet())) {
            final CompletableFuture<Boolean> f = waiting.remove(no);
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
        for (final String name : new ArrayList<>(held.keySet())) {
            held.remove(name);
            rsm.note("lost", name, "", -1);
            onLost.accept(name);
        }
    }

    /**
     * @param node  the node
     * @param group group name
     * @param stack a total-order stack with state transfer ({@code total})
     * @return the lock service
     */
    public static LockService join(final Node node, final String group, final String stack) {
        final LockService s = new LockService(Scheduler.shared());
        node.join(group, stack, s.block());
        return s;
    }

    /** @return the block underneath */
    public ReplicatedStateMachine<?> block() {
        return rsm;
    }

    /**
     * @param listener told the name of each lock this member held when it exited the group (it no longer holds it:
     *                 the others released it at the view change)
     */
    public void onLost(final Consumer<String> listener) {
        this.onLost = listener;
    }

    /**
     * Waits in the lock's queue.
     *
     * @param name the lock
     * @return completes when this member holds the lock; fails when it exits the group first
     */
    public CompletableFuture<Void> lock(final String name) {
        return request(name, nextNo.incrementAndGet()).thenApply(granted -> null);
    }

    /**
     * Waits in the lock's queue up to {@code timeout}.
     *
     * @param name    the lock
     * @param timeout how long
     * @return true when granted, false when the time ran out first (the request is withdrawn)
     */
    public CompletableFuture<Boolean> tryLock(final String name, final Duration timeout) {
        final long no = nextNo.incrementAndGet();
        final CompletableFuture<Boolean> f = request(name, no);
        final Scheduler.Cancel timer = scheduler.schedule(timeout.toNanos(), () -> {
            if (waiting.remove(no) != null && f.complete(false)) {
                rsm.submit(command(CANCEL, name, no));
            }
        });
        f.whenComplete((r, e) -> timer.cancel());
        return f;
    }

    private CompletableFuture<Boolean> request(final String name, final long no) {
        final CompletableFuture<Boolean> f = new CompletableFuture<>();
        waiting.put(no, f);
        rsm.submit(command(LOCK, name, no)).whenComplete((r, e) -> {
            if (e != null && waiting.remove(no) != null) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Releases a lock this member holds.
     *
     * @param name the lock
     * @return completes when the release is ordered (the next waiter is granted there)
     * @throws IllegalStateException when this member does not hold it
     */
    public CompletableFuture<Void> unlock(final String name) {
        final Long no = held.remove(name);
        if (no == null) {
            throw new IllegalStateException("lock '" + name + "' is not held by " + rsm.group().self());
        }
        rsm.note("unlock", name, rsm.group().self().toString(), -1);
        return rsm.submit(command(UNLOCK, name, no)).thenApply(r -> null);
    }

    /**
     * @param name the lock
     * @return whether this member holds it
     */
    public boolean holds(final String name) {
        return held.containsKey(name);
    }

    /**
     * @param name the lock
     * @return its holder in the local replica, or null
     */
    public String holder(final String name) {
        return rsm.read(m -> {
            final ArrayDeque<Waiter> q = m.queues.get(name);
            return q == null || q.isEmpty() ? null : q.peek().member();
        });
    }

    private byte[] command(final byte type, final String name, final long no) {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > MAX_NAME) {
            throw new IllegalArgumentException("lock name of " + n.length + " B: at most " + MAX_NAME + " B");
        }
        // No member in the command: the table takes the submitter from the order (a command built by one
        // incarnation and sent by the next is that next one's).
        return ByteBuffer.allocate(11 + n.length).put(type).putLong(no).putShort((short) n.length).put(n).array();
    }

    private record Waiter(String member, long no) {
    }

    /** Granted to {@code w} at {@code at}: tell this member when it is the one. */
    private void granted(final String name, final Waiter w, final long at) {
        rsm.note("grant", name, w.member(), at);
        if (!w.member().equals(rsm.group().self().toString())) {
            return;
        }
        final CompletableFuture<Boolean> f = waiting.remove(w.no());
        if (f != null) {
            held.put(name, w.no());
            rsm.note("acquired", name, w.member(), at);
            f.complete(true);
        }
        // Otherwise the request timed out here: its CANCEL, behind in the order, releases the lock.
    }

    /** The lock table: per name, the queue of waiters; the head holds the lock. */
    final class Machine implements StateMachine {
        final TreeMap<String, ArrayDeque<Waiter>> queues = new TreeMap<>();

        @Override
        public byte[] apply(final long index, final byte[] command) {
            throw new UnsupportedOperationException("the lock table needs the submitter");
        }

        @Override
        public byte[] apply(final long index, final MemberId origin, final byte[] command) {
            final ByteBuffer b = ByteBuffer.wrap(command);
            final byte type = b.get();
            final long no = b.getLong();
            final byte[] n = new byte[b.getShort()];
            b.get(n);
            final String name = new String(n, StandardCharsets.UTF_8);
            final Waiter w = new Waiter(origin.toString(), no);
            final ArrayDeque<Waiter> q = queues.computeIfAbsent(name, k -> new ArrayDeque<>());
            if (type == LOCK) {
                rsm.note("queue", name, w.member() + "/" + no, index);
                q.add(w);
                if (q.size() == 1) {
                    granted(name, w, index);
                }
            } else if (!q.isEmpty()) {
                final boolean head = q.peek().equals(w);
                if (q.remove(w) && !head) {
                    rsm.note("cancel", name, w.member() + "/" + no, index);
                }
                if (head) {
                    rsm.note("release", name, w.member(), index);
                    grantHead(name, q, index);
                }
            }
            if (q.isEmpty()) {
                queues.remove(name);
            }
            return null;
        }

        private void grantHead(final String name, final ArrayDeque<Waiter> q, final long at) {
            if (!q.isEmpty()) {
                granted(name, q.peek(), at);
            }
        }

        @Override
        public void viewChanged(final View view) {
            final Set<String> in = new HashSet<>();
            for (final MemberId member : view.members()) {
                in.add(member.toString());
            }
            final long at = rsm.index();
            for (final Iterator<Map.Entry<String, ArrayDeque<Waiter>>> it = queues.entrySet().iterator();
                 it.hasNext(); ) {
                final Map.Entry<String, ArrayDeque<Waiter>> e = it.next();
                final ArrayDeque<Waiter> q = e.getValue();
                final Waiter head = q.peek();
                q.removeIf(w -> !in.contains(w.member()));
                if (head != null && !in.contains(head.member())) {
                    rsm.note("release", e.getKey(), head.member(), at);
                    grantHead(e.getKey(), q, at);
                }
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }

        @Override
        public byte[] snapshot() {
            final List<byte[]> parts = new ArrayList<>();
            int size = 4;
            for (final Map.Entry<String, ArrayDeque<Waiter>> e : queues.entrySet()) {
                for (final Waiter w : e.getValue()) {
                    final byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
                    final byte[] m = w.member().getBytes(StandardCharsets.UTF_8);
                    final byte[] p = ByteBuffer.allocate(12 + n.length + m.length).putShort((short) n.length).put(n)
                        .putShort((short) m.length).put(m).putLong(w.no()).array();
                    parts.add(p);
                    size += p.length;
                }
            }
            final ByteBuffer out = ByteBuffer.allocate(size).putInt(parts.size());
            parts.forEach(out::put);
            return out.array();
        }

        @Override
        public void restore(final byte[] snapshot) {
            queues.clear();
            final ByteBuffer in = ByteBuffer.wrap(snapshot);
            for (int k = in.getInt(); k > 0; k--) {
                final byte[] n = new byte[in.getShort()];
                in.get(n);
                final byte[] m = new byte[in.getShort()];
                in.get(m);
                queues.computeIfAbsent(new String(n, StandardCharsets.UTF_8), x -> new ArrayDeque<>())
                    .add(new Waiter(new String(m, StandardCharsets.UTF_8), in.getLong()));
            }
            queues.forEach((name, q) -> rsm.note("holder", name, q.peek().member(), rsm.index()));
        }
    }
}
