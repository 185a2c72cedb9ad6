package io.cairn.transport.tcp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Which peers the TCP transport dials and when (I/O loop only, but {@link #discovered}): every address discovery
 * found, except this node's own; one that fails is dialled again after a backoff doubling from {@code reconnect-min}
 * to {@code reconnect-max}, which a connection that said HELLO resets; one no longer found is forgotten once it is
 * not being dialled. The table is walked only when a dial is due.
 */
final class DialSchedule {
    /** Longest wait between walks, so that the loop's selects stay short. */
    private static final long MAX_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final InetSocketAddress local;
    private final long backoffMinNs;
    private final long backoffMaxNs;
    /** Discovery's latest answer, taken up by the loop. */
    private volatile List<InetSocketAddress> discovered = List.of();
    /** The answer the loop dials (its own copy). */
    private List<InetSocketAddress> dialling = List.of();
    /** Addresses that turned out to be this node (a connection that said our own HELLO): never dialled again. */
    private final Set<InetSocketAddress> self = new HashSet<>();
    /** Per address: when to dial next (-1: a dial in progress or a connection open) and the current backoff. */
    private final Map<InetSocketAddress, long[]> state = new HashMap<>();
    private final List<InetSocketAddress> due = new ArrayList<>();
    private long next = System.nanoTime();

    DialSchedule(final InetSocketAddress local, final long backoffMinNs, final long backoffMaxNs) {
        this.local = local;
        this.backoffMinNs = backoffMinNs;
        this.backoffMaxNs = backoffMaxNs;
    }

    /** Discovery's new answer (any thread); the loop takes it up at its next turn. */
    void discovered(final List<InetSocketAddress> found) {
        discovered = found;
    }

    /**
     * Takes up discovery's latest answer and dials what is due.
     *
     * @param dialer opens a connection (may call {@link #failed} at once)
     * @return milliseconds until the next dial is due (1 to 100)
     */
    long run(final Consumer<InetSocketAddress> dialer) {
        takeUp();
        final long now = System.nanoTime();
        if (now - next < 0) {
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now));
        }
        next = now + MAX_WAIT_NS;
        for (final Map.Entry<InetSocketAddress, long[]> d : state.entrySet()) {
            final long[] st = d.getValue();
            if (st[0] >= 0 && now - st[0] >= 0) {
                st[0] = -1;
                due.add(d.getKey());
            } else if (st[0] >= 0) {
                dueAt(st[0]);
            }
        }
        // Dialled outside the walk: a dial that fails at once may take its address out of the table.
        try {
            for (int i = 0; i < due.size(); i++) {
                dialer.accept(due.get(i));
            }
        } finally {
            due.clear();
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now));
    }

    private void takeUp() {
        final List<InetSocketAddress> now = discovered;
        if (now == dialling) {
            return;
        }
        dialling = now;
        next = System.nanoTime();
        for (final InetSocketAddress a : now) {
            if (!a.equals(local) && !self.contains(a)) {
                state.putIfAbsent(a, new long[] {0, backoffMinNs});
            }
        }
        // Waiting to redial and no longer found: forget it (a connection in progress or open stays).
        state.entrySet().removeIf(e -> e.getValue()[0] >= 0 && !now.contains(e.getKey()));
    }

    private void dueAt(final long at) {
        if (at - next < 0) {
            next = at;
        }
    }

    /** A dial to {@code to} failed or its connection broke: dial again after the backoff, if still wanted. */
    void failed(final InetSocketAddress to) {
        final long[] st = state.get(to);
        if (st != null && (self.contains(to) || !dialling.contains(to))) {
            state.remove(to);
        } else if (st != null) {
            st[0] = System.nanoTime() + st[1];
            dueAt(st[0]);
            st[1] = Math.min(backoffMaxNs, st[1] * 2);
        }
    }

    /** The peer at {@code to} said HELLO: the next failure starts the backoff afresh. */
    void connected(final InetSocketAddress to) {
        final long[] st = state.get(to);
        if (st != null) {
            st[1] = backoffMinNs;
        }
    }

    /** {@code to} is this node (it said our own HELLO): never dialled again. */
    void isSelf(final InetSocketAddress to) {
        self.add(to);
    }
}
