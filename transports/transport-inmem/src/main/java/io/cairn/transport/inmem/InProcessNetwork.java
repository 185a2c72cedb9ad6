package io.cairn.transport.inmem;

import io.cairn.stack.spi.FrameReceiver;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A switch for stacks inside one JVM, by name: every in-process transport configured with the same network name
 * reaches the others. Delivery copies the frame straight into the receiving stack's inbound ring, on the sender's
 * thread. A full ring drops the frame, as a datagram would be; senders see congestion first through
 * {@code hasRoom}, which the stacks use as writability, so application traffic waits instead.
 */
public final class InProcessNetwork {
    private static final Map<String, InProcessNetwork> NETWORKS = new ConcurrentHashMap<>();

    private final String name;
    private final Map<Integer, GroupMembers> groups = new ConcurrentHashMap<>();

    private InProcessNetwork(final String name) {
        this.name = name;
    }

    /**
     * @param name network name
     * @return the network of that name, created on first use
     */
    public static InProcessNetwork named(final String name) {
        return NETWORKS.computeIfAbsent(name, InProcessNetwork::new);
    }

    /** @return the network name */
    public String name() {
        return name;
    }

    Endpoint attach(final int groupId, final long memberKey, final FrameReceiver receiver) {
        final GroupMembers g = groups.computeIfAbsent(groupId, k -> new GroupMembers());
        final Endpoint e = new Endpoint(g, memberKey, receiver);
        g.add(e);
        return e;
    }

    /**
     * The endpoints of one group, as an array snapshot replaced on every change, so the data path reads it without
     * locks, boxing or iterators.
     */
    static final class GroupMembers {
        private volatile Endpoint[] members = new Endpoint[0];

        synchronized void add(final Endpoint e) {
            final List<Endpoint> list = new java.util.ArrayList<>(List.of(members));
            list.removeIf(old -> old.memberKey == e.memberKey);
            list.add(e);
            members = list.toArray(new Endpoint[0]);
        }

        synchronized void remove(final Endpoint e) {
            final List<Endpoint> list = new java.util.ArrayList<>(List.of(members));
            list.remove(e);
            members = list.toArray(new Endpoint[0]);
        }

        boolean hasRoom() {
            for (final Endpoint e : members) {
                if (!e.receiver.hasRoom()) {
                    return false;
                }
            }
            return true;
        }

        boolean multicast(final DirectBuffer b, final int off, final int len) {
            boolean all = true;
            for (final Endpoint e : members) {
                all &= e.receiver.onFrame(b, off, len);
            }
            return all;
        }

        boolean unicast(final long key, final DirectBuffer b, final int off, final int len) {
            for (final Endpoint e : members) {
                if (e.memberKey == key) {
                    return e.receiver.onFrame(b, off, len);
                }
            }
            return false;
        }
    }

    /** One attached stack. */
    static final class Endpoint {
        final GroupMembers group;
        final long memberKey;
        final FrameReceiver receiver;
        volatile boolean closed;

        Endpoint(final GroupMembers group, final long memberKey, final FrameReceiver receiver) {
            this.group = group;
            this.memberKey = memberKey;
            this.receiver = receiver;
        }
    }
}
