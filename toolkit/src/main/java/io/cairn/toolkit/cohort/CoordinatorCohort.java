package io.cairn.toolkit.cohort;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault-tolerant request execution (Isis's coordinator-cohort): each request is executed by one member of the
 * group, its primary, and the requester sees exactly one reply whatever crashes. See the package documentation.
 */
public final class CoordinatorCohort extends Block {
    private static final byte REQUEST = 1;
    private static final byte DONE = 2;
    private static final byte OK = 0;
    private static final byte FAILED = 1;

    /** Executes a request on its primary (stack thread); must be deterministic in what it returns only if needed. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param from    the requester
         * @param id      the request's id (requester and number): execution is idempotent by it
         * @param request the payload
         * @return the reply
         */
        byte[] execute(MemberId from, String id, byte[] request);
    }

    /** A request every member knows of until its reply is delivered. */
    private static final class Entry {
        final MemberId requester;
        final long no;
        final byte[] payload;
        /** Members that delivered the request (its view): only they can take it over. */
        final List<MemberId> cohort;
        MemberId primary;

        Entry(final MemberId requester, final long no, final byte[] payload, final List<MemberId> cohort) {
            this.requester = requester;
            this.no = no;
            this.payload = payload;
            this.cohort = cohort;
        }

        String id() {
            return requester + "/" + no;
        }
    }

    private final Handler handler;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Long, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Boolean> executed = new HashMap<>();
    private final AtomicLong nextNo = new AtomicLong();
    /** This member's requests that got their reply (stack thread). */
    private final java.util.TreeSet<Long> replied = new java.util.TreeSet<>();
    /**
     * Replies delivered before their request: without causal order a member may deliver the primary's DONE before
     * the requester's REQUEST. Both are delivered in one view (virtual synchrony), so this empties at each view.
     */
    private final java.util.Set<String> doneEarly = new java.util.HashSet<>();

    /**
     * @param scheduler timer for time-outs and retries
     * @param handler   executes requests on their primary
     */
    public CoordinatorCohort(final Scheduler scheduler, final Handler handler) {
        super("cohort", scheduler, "virtual-synchrony");
        this.handler = handler;
    }

    /**
     * @param node    the node
     * @param group   group name
     * @param stack   a stack with virtual synchrony ({@code vsync}, {@code total})
     * @param handler executes requests
     * @return the block
     */
    public static CoordinatorCohort join(final Node node, final String group, final String stack,
                                         final Handler handler) {
        final CoordinatorCohort c = new CoordinatorCohort(Scheduler.shared(), handler);
        node.join(group, stack, c);
        return c;
    }

    /**
     * Submits a request for execution by one member.
     *
     * @param payload the request
     * @param timeout how long to wait for the reply
     * @return the one reply; fails when this member is in no view or exits, or on time-out
     */
    public CompletableFuture<byte[]> request(final byte[] payload, final Duration timeout) {
        final CompletableFuture<byte[]> f = new CompletableFuture<>();
        if (view() == null) {
            f.completeExceptionally(new IllegalStateException(group().name() + ": this member is in no view"));
            return f;
        }
        final long no = nextNo.incrementAndGet();
        waiting.put(no, f);
        record("request", me() + "/" + no, "", no);
        cast(ByteBuffer.allocate(9 + payload.length).put(REQUEST).putLong(no).put(payload).array());
        final Scheduler.Cancel timer = scheduler().schedule(timeout.toNanos(), () -> {
            if (waiting.remove(no) != null) {
                f.completeExceptionally(new TimeoutException("request " + no + " on group '" + group().name()
                    + "' got no reply within " + timeout));
            }
        });
        f.whenComplete((r, e) -> timer.cancel());
        return f;
    }

    /** @return requests of this member waiting for their reply */
    public int pending() {
        return waiting.size();
    }

    @Override
    protected void deliver(final Delivery d, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final byte type = b.get();
        if (type == REQUEST) {
            final long no = b.getLong();
            final byte[] body = new byte[b.remaining()];
            b.get(body);
            if (doneEarly.remove(key(d.sender().key(), no))) {
                // Its reply came first (a FIFO stack orders each sender alone): nothing left to do.
                return;
            }
            final View v = view();
            final Entry e = new Entry(d.sender(), no, body, v.members());
            e.primary = pick(e, v);
            entries.put(key(e.requester.key(), no), e);
            executeIfMine(e);
            return;
        }
        final long requesterKey = b.getLong();
        final long no = b.getLong();
        final byte status = b.get();
        final byte[] reply = new byte[b.remaining()];
        b.get(reply);
        final Entry done = entries.remove(key(requesterKey, no));
        if (done != null) {
            executed.remove(done.id());
        } else {
            // The reply overtook its request from another sender: remember it until the request comes (in this view).
            doneEarly.add(key(requesterKey, no));
        }
        if (requesterKey != group().self().key()) {
            return;
        }
        final CompletableFuture<byte[]> f = waiting.remove(no);
        // A second reply would break the block's promise: recorded, so that the checker sees it.
        record(replied.add(no) ? "reply" : "duplicate", me() + "/" + no, d.sender().toString(), no);
        if (replied.size() > 100_000) {
            replied.pollFirst();
        }
        if (f != null && status == OK) {
            f.complete(reply);
        } else if (f != null) {
            f.completeExceptionally(new IllegalStateException("request " + no + " failed on " + d.sender() + ": "
                + new String(reply, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    private static String key(final long requesterKey, final long no) {
        return requesterKey + ":" + no;
    }

    /** The primary of a request among the members of its view still in {@code v}, spread by request id. */
    private static MemberId pick(final Entry e, final View v) {
        final List<MemberId> alive = new ArrayList<>();
        for (final MemberId m : e.cohort) {
            if (v.contains(m)) {
                alive.add(m);
            }
        }
        if (alive.isEmpty()) {
            return null;
        }
        final long h = e.requester.key() * 0x9E3779B97F4A7C15L + e.no;
        return alive.get((int) Math.floorMod(h ^ (h >>> 29), (long) alive.size()));
    }

    private void executeIfMine(final Entry e) {
        if (e.primary == null || !e.primary.equals(group().self()) || executed.containsKey(e.id())) {
            return;
        }
        executed.put(e.id(), Boolean.TRUE);
        byte status = OK;
        byte[] reply;
        try {
            reply = handler.execute(e.requester, e.id(), e.payload);
        } catch (final RuntimeException ex) {
            // The requester gets the failure as its one reply; nobody retries a request that failed.
            status = FAILED;
            reply = String.valueOf(ex).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        record("execute", e.id(), "", e.no);
        final byte[] r = reply == null ? new byte[0] : reply;
        cast(ByteBuffer.allocate(18 + r.length).put(DONE).putLong(e.requester.key()).putLong(e.no).put(status).put(r)
            .array());
    }

    @Override
    protected void viewChanged(final View old, final View now) {
        doneEarly.clear();
        if (old == null || !old.contains(group().self())) {
            // A newcomer knows no request of earlier views: it cannot take any over (pick() excludes it).
            entries.clear();
            return;
        }
        for (final Entry e : new ArrayList<>(entries.values())) {
            if (!now.contains(e.requester)) {
                // Nobody to answer: the requester left.
                entries.remove(key(e.requester.key(), e.no));
            } else if (e.primary == null || !now.contains(e.primary)) {
                // The primary left before its reply was delivered (virtual synchrony: then to nobody): take over.
                e.primary = pick(e, now);
                executeIfMine(e);
            }
        }
    }

    @Override
    protected void exited(final String reason) {
        entries.clear();
        doneEarly.clear();
        final IllegalStateException ex = new IllegalStateException(group().name() + ": this member exited the group ("
            + reason + ")");
        failAll(waiting, ex);
    }
}
