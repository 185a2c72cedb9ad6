package io.cairn.toolkit.request;

import io.cairn.api.Delivery;
import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests with k replies: {@link #request} casts a request to the group; every member's {@link Responder} answers
 * it point-to-point; the future completes once the {@link Replies} policy is met. See the package documentation.
 */
public final class Requests extends Block {
    private static final byte REQUEST = 1;
    private static final byte REPLY = 2;
    private static final byte DECLINE = 3;

    /** Answers requests, on the stack's thread, in delivery order. */
    @FunctionalInterface
    public interface Responder {
        /**
         * @param from    the requester
         * @param request its payload
         * @return the reply, or null to decline (the requester stops waiting for this member)
         */
        byte[] respond(MemberId from, byte[] request);
    }

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile Responder responder;
    private long handled;

    /**
     * @param scheduler timer for time-outs
     * @param responder answers requests, or null to decline them all
     */
    public Requests(final Scheduler scheduler, final Responder responder) {
        super("requests", scheduler, "virtual-synchrony");
        this.responder = responder;
    }

    /**
     * Joins a group as a member that sends and answers requests.
     *
     * @param node      the node
     * @param group     group name
     * @param stack     a stack with virtual synchrony ({@code vsync}, {@code total}, ...); over a total-order stack
     *                  every member handles requests in one order
     * @param responder answers requests, or null to decline them all
     * @return the block
     */
    public static Requests join(final Node node, final String group, final String stack, final Responder responder) {
        final Requests r = new Requests(Scheduler.shared(), responder);
        node.join(group, stack, r);
        return r;
    }

    /**
     * @param r the new responder (null: decline)
     */
    public void responder(final Responder r) {
        this.responder = r;
    }

    /**
     * Casts a request and collects replies.
     *
     * @param payload the request
     * @param replies how many replies to wait for
     * @param timeout how long, after which the future fails with a {@link TimeoutException}
     * @return the replies; fails with {@link NotEnoughRepliesException} when departures and refusals make the
     *         policy unreachable, or {@link IllegalStateException} when this member is in no view or exits
     */
    public CompletableFuture<RequestResult> request(final byte[] payload, final Replies replies,
                                                    final Duration timeout) {
        final long id = nextId.incrementAndGet();
        final Pending p = new Pending(id, replies);
        if (view() == null) {
            p.future.completeExceptionally(new IllegalStateException("requests on group '" + group().name()
                + "': this member is in no view (await the view after joining)"));
            return p.future;
        }
        pending.put(id, p);
        record("request", me() + "/" + id, replies.toString(), id);
        cast(ByteBuffer.allocate(9 + payload.length).put(REQUEST).putLong(id).put(payload).array());
        p.timer(scheduler().schedule(timeout.toNanos(), () -> p.fail(new TimeoutException("request " + id
            + " on group '" + group().name() + "' got " + p.replies.size() + " replies within " + timeout + ", wanted "
            + replies))));
        return p.future;
    }

    /** @return requests this member issued that have not completed */
    public int pending() {
        return pending.size();
    }

    @Override
    protected void deliver(final Delivery d, final byte[] payload) {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final byte type = b.get();
        if (type == REQUEST) {
            final long id = b.getLong();
            final byte[] body = new byte[b.remaining()];
            b.get(body);
            handle(d.sender(), id, body);
            return;
        }
        final long requester = b.getLong();
        final long id = b.getLong();
        if (requester != group().self().key()) {
            return;
        }
        final Pending p = pending.get(id);
        if (p != null) {
            final byte[] body = new byte[b.remaining()];
            b.get(body);
            p.answer(d.sender(), type == REPLY ? body : null);
        }
    }

    private void handle(final MemberId from, final long id, final byte[] body) {
        final Responder r = responder;
        byte[] reply = null;
        try {
            reply = r == null ? null : r.respond(from, body);
        } catch (final RuntimeException e) {
            // A responder that fails declines: the requester stops waiting for this member.
            record("callback-error", from + "/" + id, String.valueOf(e), -1);
        }
        record("handle", from + "/" + id, "", ++handled);
        final MemberId self = group().self();
        if (from.equals(self)) {
            final Pending p = pending.get(id);
            if (p != null) {
                p.delivered(view().members());
                p.answer(self, reply);
            }
            return;
        }
        // Cast, not sent: virtual synchrony then delivers the reply to the requester unless this member leaves the
        // view first, and every survivor agrees which (point-to-point sends are not kept across view changes).
        final int len = reply == null ? 0 : reply.length;
        final ByteBuffer out = ByteBuffer.allocate(17 + len).put(reply == null ? DECLINE : REPLY).putLong(from.key())
            .putLong(id);
        if (reply != null) {
            out.put(reply);
        }
        cast(out.array());
    }

    @Override
    protected void viewChanged(final View old, final View now) {
        for (final Pending p : pending.values()) {
            p.viewChanged(now);
        }
    }

    @Override
    protected void exited(final String reason) {
        for (final Pending p : new ArrayList<>(pending.values())) {
            p.fail(new IllegalStateException("request " + p.id + ": this member exited the group (" + reason + ")"));
        }
    }

    /** One request of this member, from cast to completion. */
    private final class Pending {
        final long id;
        final Replies policy;
        final CompletableFuture<RequestResult> future = new CompletableFuture<>();
        /** The view the request was delivered in here: who it waits for (null until then). */
        List<MemberId> expected;
        final Map<MemberId, byte[]> replies = new LinkedHashMap<>();
        final Set<MemberId> departed = new HashSet<>();
        final Set<MemberId> declined = new HashSet<>();
        boolean done;
        Scheduler.Cancel timer = Scheduler.Cancel.NONE;

        Pending(final long id, final Replies policy) {
            this.id = id;
            this.policy = policy;
        }

        synchronized void timer(final Scheduler.Cancel t) {
            if (done) {
                t.cancel();
            } else {
                timer = t;
            }
        }

        synchronized void delivered(final List<MemberId> members) {
            expected = List.copyOf(members);
            replies.keySet().retainAll(expected);
            declined.retainAll(expected);
            settle();
        }

        synchronized void answer(final MemberId from, final byte[] reply) {
            if (done || departed.contains(from) || replies.containsKey(from) || declined.contains(from)
                || expected != null && !expected.contains(from)) {
                return;
            }
            if (reply == null) {
                declined.add(from);
            } else {
                replies.put(from, reply);
            }
            settle();
        }

        synchronized void viewChanged(final View now) {
            if (expected == null || done) {
                return;
            }
            for (final MemberId m : expected) {
                if (!now.contains(m) && !replies.containsKey(m) && !declined.contains(m)) {
                    departed.add(m);
                }
            }
            settle();
        }

        private void settle() {
            if (expected == null || done) {
                return;
            }
            final int outstanding = expected.size() - replies.size() - departed.size() - declined.size();
            final int needed = policy.needed(expected.size(), replies.size() + outstanding);
            if (replies.size() >= needed && (outstanding == 0 || !"all".equals(policy.toString()))) {
                done = true;
                timer.cancel();
                pending.remove(id);
                final RequestResult r = new RequestResult(id, replies, departed, declined);
                record("complete", me() + "/" + id, String.join(",", replies.keySet().stream()
                    .map(MemberId::toString).sorted().toList()) + "|" + departed.size() + "|" + declined.size(),
                    expected.size());
                future.complete(r);
            } else if (replies.size() + outstanding < needed) {
                fail(new NotEnoughRepliesException("request " + id + " wanted " + policy + " of " + expected.size()
                    + " members; " + replies.size() + " replied, " + departed.size() + " departed, "
                    + declined.size() + " declined", new RequestResult(id, replies, departed, declined)));
            }
        }

        synchronized void fail(final Throwable t) {
            if (done) {
                return;
            }
            done = true;
            timer.cancel();
            pending.remove(id);
            record("failed", me() + "/" + id, t.getClass().getSimpleName(), -1);
            future.completeExceptionally(t);
        }
    }
}
