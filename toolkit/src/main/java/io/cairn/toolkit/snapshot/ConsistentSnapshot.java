package io.cairn.toolkit.snapshot;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A consistent snapshot of a group's members and of the messages between them, over causal multicast. The
 * application casts its messages through {@link #cast(byte[])} and receives them in its handler. See the package
 * documentation.
 */
public final class ConsistentSnapshot extends Block {
    private static final byte APP = 1;
    private static final byte START = 2;
    private static final byte MARK = 3;
    private static final byte PART = 4;

    /**
     * One member's part of a cut.
     *
     * @param state    what its application reported at its cut
     * @param channels per sender, the messages in flight to it at the cut (sent before the sender's cut, delivered
     *                 after this member's)
     */
    public record Part(byte[] state, Map<MemberId, List<byte[]>> channels) {
    }

    /**
     * A consistent cut.
     *
     * @param id    the snapshot's id (initiator/number)
     * @param parts every member's part
     */
    public record Cut(String id, Map<MemberId, Part> parts) {
    }

    /** A snapshot in progress at this member. */
    private static final class Local {
        final byte[] state;
        final List<MemberId> members;
        final Set<MemberId> recording;
        final Map<MemberId, List<byte[]>> channels = new LinkedHashMap<>();

        Local(final byte[] state, final List<MemberId> members) {
            this.state = state;
            this.members = members;
            this.recording = new HashSet<>(members);
            members.forEach(m -> channels.put(m, new ArrayList<>()));
        }
    }

    private final Supplier<byte[]> state;
    private final BiConsumer<MemberId, byte[]> handler;
    private final Map<String, Local> local = new LinkedHashMap<>();
    private final Map<String, Map<MemberId, Part>> collected = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Cut>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong nextNo = new AtomicLong();
    /** Makes a cut atomic with respect to the application's casts (and the state changes that go with them). */
    private final Object cutLock = new Object();

    /**
     * @param scheduler timer for retries under back-pressure
     * @param state     reports this member's application state at its cut (stack thread)
     * @param handler   receives the application's messages (sender, payload), on the stack thread
     */
    public ConsistentSnapshot(final Scheduler scheduler, final Supplier<byte[]> state,
                              final BiConsumer<MemberId, byte[]> handler) {
        super("snapshot", scheduler, "causal", "virtual-synchrony");
        this.state = state;
        this.handler = handler;
    }

    /**
     * @param node    the node
     * @param group   group name
     * @param stack   a causal stack ({@code causal})
     * @param state   this member's state at its cut
     * @param handler the application's messages
     * @return the block
     */
    public static ConsistentSnapshot join(final Node node, final String group, final String stack,
                                          final Supplier<byte[]> state, final BiConsumer<MemberId, byte[]> handler) {
        final ConsistentSnapshot s = new ConsistentSnapshot(Scheduler.shared(), state, handler);
        node.join(group, stack, s);
        return s;
    }

    /**
     * Casts an application message (causally ordered).
     *
     * @param payload the message
     */
    public void cast(final byte[] payload) {
        cast(payload, () -> {
        });
    }

    /**
     * Casts an application message together with the state change that goes with it: the change and the cast are
     * atomic with respect to this member's cut, so no cut records the change without the message (which would be
     * neither delivered before any cut nor in any channel).
     *
     * @param payload the message
     * @param change  the application's state change (runs on the calling thread, under this block's lock)
     */
    public void cast(final byte[] payload, final Runnable change) {
        synchronized (cutLock) {
            change.run();
            record("send", "", hash(payload), -1);
            super.cast(ByteBuffer.allocate(1 + payload.length).put(APP).put(payload).array());
        }
    }

    /**
     * Takes a snapshot of the current view's members.
     *
     * @return the cut; fails when the view changes before it completes (take it again) or this member exits
     */
    public CompletableFuture<Cut> snapshot() {
        final CompletableFuture<Cut> f = new CompletableFuture<>();
        if (view() == null) {
            f.completeExceptionally(new IllegalStateException(group().name() + ": this member is in no view"));
            return f;
        }
        final long no = nextNo.incrementAndGet();
        final String id = me() + "/" + no;
        waiting.put(id, f);
        super.cast(control(START, id, new byte[0]));
        return f;
    }

    /** @return snapshots this member started that have not completed */
    public int pending() {
        return waiting.size();
    }

    private static byte[] control(final byte type, final String id, final byte[] body) {
        final byte[] i = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + i.length + body.length).put(type).putShort((short) i.length).put(i).put(body)
            .array();
    }

    private static String hash(final byte[] payload) {
        return Integer.toHexString(Arrays.hashCode(payload));
    }

    @Override
    protected void deliver(final Delivery d, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final byte type = b.get();
        final MemberId from = d.sender();
        if (type == APP) {
            final byte[] body = Arrays.copyOfRange(payload, 1, payload.length);
            for (final Local l : local.values()) {
                if (l.recording.contains(from)) {
                    l.channels.get(from).add(body);
                }
            }
            record("deliver", from.toString(), hash(body), -1);
            handler.accept(from, body);
            return;
        }
        final byte[] i = new byte[b.getShort()];
        b.get(i);
        final String id = new String(i, java.nio.charset.StandardCharsets.UTF_8);
        switch (type) {
            case START -> {
                // The cut: record the state and start recording every channel into this member, then mark the
                // channels out of it. Causal order delivers this START before any message sent after another
                // member's cut, and each member's MARK after every message it sent before its cut.
                synchronized (cutLock) {
                    final Local l = new Local(state.get(), view().members());
                    local.put(id, l);
                    record("capture", id, "", -1);
                    super.cast(control(MARK, id, new byte[0]));
                }
            }
            case MARK -> {
                final Local l = local.get(id);
                if (l != null && l.recording.remove(from) && l.recording.isEmpty()) {
                    local.remove(id);
                    super.cast(control(PART, id, encode(l)));
                }
            }
            default -> collect(id, from, b);
        }
    }

    private static byte[] encode(final Local l) {
        int size = 8 + l.state.length;
        for (final List<byte[]> c : l.channels.values()) {
            size += 8;
            for (final byte[] m : c) {
                size += 4 + m.length;
            }
        }
        final ByteBuffer out = ByteBuffer.allocate(size).putInt(l.state.length).put(l.state).putInt(l.members.size());
        for (final MemberId m : l.members) {
            final List<byte[]> c = l.channels.get(m);
            out.putInt(l.members.indexOf(m)).putInt(c.size());
            for (final byte[] p : c) {
                out.putInt(p.length).put(p);
            }
        }
        return out.array();
    }

    private void collect(final String id, final MemberId from, final ByteBuffer b) {
        final CompletableFuture<Cut> f = waiting.get(id);
        if (f == null) {
            return;
        }
        final byte[] s = new byte[b.getInt()];
        b.get(s);
        final List<MemberId> members = view().members();
        final Map<MemberId, List<byte[]>> channels = new LinkedHashMap<>();
        for (int k = b.getInt(); k > 0; k--) {
            final MemberId sender = members.get(b.getInt());
            final List<byte[]> c = new ArrayList<>();
            for (int n = b.getInt(); n > 0; n--) {
                final byte[] p = new byte[b.getInt()];
                b.get(p);
                c.add(p);
            }
            channels.put(sender, c);
        }
        final Map<MemberId, Part> parts = collected.computeIfAbsent(id, k -> new LinkedHashMap<>());
        parts.put(from, new Part(s, channels));
        if (parts.size() == members.size()) {
            collected.remove(id);
            waiting.remove(id);
            for (final Map.Entry<MemberId, Part> e : parts.entrySet()) {
                for (final Map.Entry<MemberId, List<byte[]>> c : e.getValue().channels().entrySet()) {
                    record("channel", id, c.getKey() + ">" + e.getKey() + ":" + String.join(",",
                        c.getValue().stream().map(ConsistentSnapshot::hash).sorted().toList()), -1);
                }
            }
            record("cut", id, "", -1);
            f.complete(new Cut(id, parts));
        }
    }

    @Override
    protected void viewChanged(final View old, final View now) {
        // A cut is of one view's members; a view change ends every snapshot in progress.
        local.clear();
        collected.clear();
        fail("the view changed during the snapshot; take it again");
    }

    @Override
    protected void exited(final String reason) {
        local.clear();
        collected.clear();
        fail("this member exited the group (" + reason + ")");
    }

    private void fail(final String why) {
        failAll(waiting, new IllegalStateException("snapshot: " + why));
    }
}
