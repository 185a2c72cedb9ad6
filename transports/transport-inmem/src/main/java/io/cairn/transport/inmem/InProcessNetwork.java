package io.cairn.transport.inmem;

import io.cairn.stack.spi.FrameReceiver;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A switch for stacks inside one JVM, by name: every in-process transport configured with the same network name
 * reaches the others. Delivery copies the frame straight into the receiving stack's inbound ring, on the sender's
 * thread. A full ring drops the frame, as a datagram would be; senders see congestion first through
 * {@link #hasRoom(int)}, which the stacks use as writability, so application traffic waits instead.
 */
public final class InProcessNetwork {
    private static final Map<String, InProcessNetwork> NETWORKS = new ConcurrentHashMap<>();

    private final String name;
    private final Map<Integer, List<Endpoint>> groups = new ConcurrentHashMap<>();

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
        final Endpoint e = new Endpoint(groupId, memberKey, receiver);
        final List<Endpoint> members = groups.computeIfAbsent(groupId, g -> new CopyOnWriteArrayList<>());
        members.removeIf(old -> old.memberKey == memberKey);
        members.add(e);
        return e;
    }

    void detach(final Endpoint e) {
        final List<Endpoint> members = groups.get(e.groupId);
        if (members != null) {
            members.remove(e);
        }
    }

    /** @return number of attached endpoints of a group */
    int size(final int groupId) {
        final List<Endpoint> members = groups.get(groupId);
        return members == null ? 0 : members.size();
    }

    boolean hasRoom(final int groupId) {
        final List<Endpoint> members = groups.get(groupId);
        if (members != null) {
            for (final Endpoint e : members) {
                if (!e.receiver.hasRoom()) {
                    return false;
                }
            }
        }
        return true;
    }

    boolean multicast(final int groupId, final DirectBuffer b, final int off, final int len) {
        final List<Endpoint> members = groups.get(groupId);
        if (members == null) {
            return false;
        }
        boolean all = true;
        for (final Endpoint e : members) {
            all &= e.receiver.onFrame(b, off, len);
        }
        return all;
    }

    boolean unicast(final int groupId, final long key, final DirectBuffer b, final int off, final int len) {
        final List<Endpoint> members = groups.get(groupId);
        if (members != null) {
            for (final Endpoint e : members) {
                if (e.memberKey == key) {
                    return e.receiver.onFrame(b, off, len);
                }
            }
        }
        return false;
    }

    /** One attached stack. */
    static final class Endpoint {
        final int groupId;
        final long memberKey;
        final FrameReceiver receiver;
        volatile boolean closed;

        Endpoint(final int groupId, final long memberKey, final FrameReceiver receiver) {
            this.groupId = groupId;
            this.memberKey = memberKey;
            this.receiver = receiver;
        }
    }
}
