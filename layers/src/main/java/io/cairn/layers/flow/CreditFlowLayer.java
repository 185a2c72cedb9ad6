package io.cairn.layers.flow;

import io.cairn.stack.event.BlockOk;
import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.event.ViewOk;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.TimerTask;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/** Credit-based multicast flow control driven by what applications consume. See the package documentation. */
@LayerSpec(name = "credit-flow", id = CreditFlowLayer.ID, position = 900,
    provides = "flow-control", requires = "reliable")
public final class CreditFlowLayer extends PerViewLayer {
    /** Layer id of credit-flow. */
    public static final int ID = 6;
    private static final long CAST = Long.MIN_VALUE;
    /** Unconsumed delivery that earns no credit (a unicast of an old view, or of no view). */
    private static final int NO_CREDIT = -1;
    /** Unconsumed delivery from a member no longer in the view: it earns credit for the view's joiners. */
    private static final int DEPARTED = -2;

    private final TimerTask requestTask = this::onRequestTimer;
    private final TimerTask pollTask = this::onPollTimer;
    private final Message pendingMsg = new Message();
    private long maxCredits;
    private long threshold;
    private long requestIntervalNs;
    private long pollNs;

    // Sender side: payload bytes cast in this view, and each receiver's cumulative grant.
    private long sent;
    private long[] allowed = new long[0];
    private UnsafeBuffer pending = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private int pendingLength = -1;
    /** Destination of the held message when it is a send; {@link #CAST} when it is a cast. */
    private long pendingDest = CAST;
    // Point-to-point: bytes sent to each rank and its cumulative grant; bytes consumed from each rank and granted.
    private long[] sentUni = new long[0];
    private long[] allowedUni = new long[0];
    private long[] consumedUni = new long[0];
    private long[] grantedUni = new long[0];
    private boolean[] fifoUni = new boolean[1024];
    private boolean requestScheduled;
    /**
     * Between {@code Blocked} and {@code BlockOk}: casts the application offered before the flush began go out in
     * this view whatever the credit (they are what the flush must count), at most the command ring's contents.
     */
    private boolean draining;
    // Receiver side: deliveries not yet consumed (rank, bytes) in delivery order, consumption per sender rank.
    private int[] fifoRank = new int[1024];
    private long[] fifoBytes = new long[1024];
    private int fifoHead;
    private int fifoSize;
    private long consumedSeen;
    private long[] consumed = new long[0];
    private long[] granted = new long[0];
    /** Members new in this view: receivers grant them credit explicitly (see onView). */
    private boolean[] joiners = new boolean[0];
    private boolean pollScheduled;

    private Counter blockedCount;
    private Counter grantsSent;
    private Counter requestsSent;
    private Counter unackedGauge;
    private Counter unconsumedGauge;
    private long unconsumed;
    /** Each message counts as at least this many bytes against credit, so small ones are bounded in number too. */
    private long minCharge;

    @Override
    public void configure(final Settings s) {
        maxCredits = s.bytesIn("max-credits", 1024, 1L << 40);
        minCharge = s.bytesIn("min-charge", 0, maxCredits);
        threshold = (long) (maxCredits * s.doubleIn("grant-threshold", 0.001, 1));
        requestIntervalNs = s.durationNs("request-interval", Settings.MICROSECOND, Settings.HOUR);
        pollNs = s.durationNs("consumption-poll", Settings.MICROSECOND, Settings.HOUR);
    }

    @Override
    protected void onInit(final LayerContext c) {
        blockedCount = c.counter("blocked");
        grantsSent = c.counter("grants_sent");
        requestsSent = c.counter("requests_sent");
        unackedGauge = c.counter("gauge.unacked_bytes");
        unconsumedGauge = c.counter("gauge.unconsumed_bytes");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        final View old = previousView();
        final int n = v.size();
        final long[] oldAllowed = allowed;
        final long oldSent = sent;
        sent = 0;
        allowed = new long[n];
        consumed = new long[n];
        granted = new long[n];
        sentUni = new long[n];
        allowedUni = new long[n];
        java.util.Arrays.fill(allowedUni, maxCredits);
        consumedUni = new long[n];
        grantedUni = new long[n];
        java.util.Arrays.fill(grantedUni, maxCredits);
        joiners = new boolean[n];
        // Credit carries across views (FC1 whatever the churn): what a receiver has not consumed yet from a sender
        // that stays still counts against that sender, and what it holds from members that are gone counts against
        // the joiners, who start only with the credit receivers grant them explicitly.
        final long[] unconsumedFrom = new long[n];
        long departed = 0;
        for (int i = 0; i < fifoSize; i++) {
            final int at = (fifoHead + i) & (fifoRank.length - 1);
            final int r = fifoRank[at];
            if (r < 0 || fifoUni[at]) {
                if (r >= 0) {
                    fifoRank[at] = NO_CREDIT;
                }
                continue;
            }
            final int now = old == null || r >= old.size() ? -1 : v.rank(old.members().get(r));
            if (now >= 0) {
                fifoRank[at] = now;
                unconsumedFrom[now] += charge(fifoBytes[at]);
            } else {
                fifoRank[at] = DEPARTED;
                departed += charge(fifoBytes[at]);
            }
        }
        final boolean freshGroup = old == null && v.id().epoch() <= 1;
        for (int r = 0; r < n; r++) {
            final boolean stays = old != null && old.contains(v.members().get(r));
            joiners[r] = !stays && !freshGroup;
            consumed[r] = stays ? -unconsumedFrom[r] : joiners[r] ? -departed : 0;
            granted[r] = consumed[r] + maxCredits;
            if (old == null) {
                // A founder starts with full credit; a joiner waits for each receiver's grant.
                allowed[r] = freshGroup ? maxCredits : 0;
            } else if (old.contains(v.members().get(r))) {
                final long outstanding = Math.max(0, oldSent - (oldAllowed[old.rank(v.members().get(r))]
                    - maxCredits));
                allowed[r] = maxCredits - outstanding;
            } else {
                allowed[r] = maxCredits;
            }
        }
        allowed[selfRank()] = granted[selfRank()];
        for (int r = 0; r < n; r++) {
            if (joiners[r] && r != selfRank() && granted[r] > 0) {
                control(CreditControl.GRANT, granted[r], v.members().get(r).key());
                grantsSent.increment();
            }
        }
        unackedGauge.set(0);
        draining = false;
        sendPending(c);
        if (pendingLength >= 0) {
            // A joiner's grants may have arrived before its view did: ask for them.
            scheduleRequest();
        }
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (e instanceof Blocked && view() != null) {
            // The flush below waits for BlockOk: a cast held now was taken in this view, so it goes out in it.
            drain(c);
        }
        super.onUpEvent(c, e);
        if (e instanceof ViewInstalled && view() != null) {
            // The runtime drains the command ring up to ViewOk whatever layer holds casts (what the application
            // offered before it saw the view goes out in it): release the held one, or the drained casts would
            // overwrite its single slot.
            drain(c);
        }
    }

    /**
     * Passes casts and sends regardless of credit until the runtime's acknowledgement (BlockOk, ViewOk) comes
     * down, starting with the held one: while anything is held the command ring stays shut, and one slot cannot
     * take what the ring drains up to the acknowledgement. The excess over credit is at most the ring's contents.
     */
    private void drain(final LayerContext c) {
        draining = true;
        if (pendingLength >= 0) {
            pendingMsg.wrap(pending, 0, pendingLength, c.headroom());
            pendingLength = -1;
            c.holdCasts(false);
            if (pendingDest == CAST) {
                send(c, pendingMsg, charge(pendingMsg.payloadLength()));
            } else {
                final int r = view().rankOfKey(pendingDest);
                if (r >= 0) {
                    sentUni[r] += charge(pendingMsg.payloadLength());
                }
                c.send(pendingMsg.destination(pendingDest));
            }
        }
    }

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof BlockOk || e instanceof ViewOk) {
            draining = false;
        }
        super.onDownEvent(c, e);
    }

    // ------------------------------------------------------------------ sender

    private long minAllowed() {
        long min = Long.MAX_VALUE;
        for (final long a : allowed) {
            min = Math.min(min, a);
        }
        return min;
    }

    @Override
    public void onCast(final LayerContext c, final Message m) {
        final long len = charge(m.payloadLength());
        if (view() != null && pendingLength < 0 && (draining || sent + len <= minAllowed())) {
            send(c, m, len);
            return;
        }
        // No credit (or no group yet, so nobody to get it from): keep this one cast and stop taking more until
        // grants arrive or the first view starts with full credit.
        hold(c, m);
        pendingDest = CAST;
    }

    private void hold(final LayerContext c, final Message m) {
        if (pending.capacity() < m.length()) {
            pending = new UnsafeBuffer(ByteBuffer.allocateDirect(Integer.highestOneBit(m.length()) * 2));
        }
        pending.putBytes(0, m.buffer(), m.offset(), m.length());
        pendingLength = m.length();
        c.holdCasts(true);
        blockedCount.increment();
        scheduleRequest();
    }

    @Override
    public void onSend(final LayerContext c, final Message m) {
        final long len = charge(m.payloadLength());
        final int r = rankOf(m.destination());
        if (view() != null && r < 0) {
            c.send(m);
            return;
        }
        if (r >= 0 && pendingLength < 0 && (draining || sentUni[r] + len <= allowedUni[r])) {
            sentUni[r] += len;
            c.send(m);
            return;
        }
        hold(c, m);
        pendingDest = m.destination();
    }

    private void send(final LayerContext c, final Message m, final long len) {
        sent += len;
        unackedGauge.set(sent - (minAllowed() - maxCredits));
        c.cast(m);
    }

    private void sendPending(final LayerContext c) {
        if (pendingLength < 0 || view() == null) {
            return;
        }
        final long len = charge(pendingLength - c.headroom());
        if (pendingDest != CAST) {
            final int r = view().rankOfKey(pendingDest);
            if (r >= 0 && sentUni[r] + len > allowedUni[r]) {
                return;
            }
            pendingMsg.wrap(pending, 0, pendingLength, c.headroom()).destination(pendingDest);
            pendingLength = -1;
            c.holdCasts(false);
            if (r >= 0) {
                sentUni[r] += len;
            }
            c.send(pendingMsg);
            return;
        }
        if (sent + len > minAllowed()) {
            return;
        }
        pendingMsg.wrap(pending, 0, pendingLength, c.headroom());
        pendingLength = -1;
        c.holdCasts(false);
        send(c, pendingMsg, len);
    }

    private void scheduleRequest() {
        if (!requestScheduled) {
            requestScheduled = true;
            ctx().schedule(requestIntervalNs, requestTask);
        }
    }

    /** Still blocked after an interval: a grant may have been lost; ask each member we lack credit from. */
    private void onRequestTimer(final long now) {
        requestScheduled = false;
        if (pendingLength < 0) {
            return;
        }
        if (view() == null) {
            scheduleRequest();
            return;
        }
        if (pendingDest != CAST) {
            final int r = view().rankOfKey(pendingDest);
            if (r >= 0 && r != selfRank()) {
                control(CreditControl.REQUEST_UNI, sentUni[r], pendingDest);
                requestsSent.increment();
            }
            scheduleRequest();
            return;
        }
        final long need = sent + charge(pendingLength - ctx().headroom());
        for (int r = 0; r < allowed.length; r++) {
            if (allowed[r] < need && r != selfRank()) {
                control(CreditControl.REQUEST, sent, view().members().get(r).key());
                requestsSent.increment();
            }
        }
        scheduleRequest();
    }

    // ------------------------------------------------------------------ receiver

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final int rank = !inView(m.viewEpoch()) ? -1 : view().rankOfKey(m.sender());
        push(rank, m.isUnicast(), m.payloadLength());
        c.deliver(m);
        creditConsumption();
    }

    private void push(final int rank, final boolean unicast, final long bytes) {
        if (fifoSize == fifoRank.length) {
            final int[] r = new int[fifoRank.length * 2];
            final long[] b = new long[fifoBytes.length * 2];
            final boolean[] u = new boolean[fifoUni.length * 2];
            for (int i = 0; i < fifoSize; i++) {
                r[i] = fifoRank[(fifoHead + i) & (fifoRank.length - 1)];
                b[i] = fifoBytes[(fifoHead + i) & (fifoBytes.length - 1)];
                u[i] = fifoUni[(fifoHead + i) & (fifoUni.length - 1)];
            }
            fifoRank = r;
            fifoBytes = b;
            fifoUni = u;
            fifoHead = 0;
        }
        final int at = (fifoHead + fifoSize) & (fifoRank.length - 1);
        fifoRank[at] = rank;
        fifoBytes[at] = bytes;
        fifoUni[at] = unicast;
        fifoSize++;
        unconsumed += bytes;
    }

    private void onPollTimer(final long now) {
        pollScheduled = false;
        creditConsumption();
    }

    /** Credits senders for what the application consumed since the last look, granting in batches. */
    private void creditConsumption() {
        final long total = ctx().consumedBytes();
        while (fifoSize > 0 && total - consumedSeen >= fifoBytes[fifoHead]) {
            final long bytes = fifoBytes[fifoHead];
            final long credit = charge(bytes);
            final int rank = fifoRank[fifoHead];
            final boolean unicast = fifoUni[fifoHead];
            consumedSeen += bytes;
            unconsumed -= bytes;
            fifoHead = (fifoHead + 1) & (fifoRank.length - 1);
            fifoSize--;
            if (unicast && rank >= 0 && rank < consumedUni.length) {
                consumedUni[rank] += credit;
                if (consumedUni[rank] + maxCredits - grantedUni[rank] >= threshold) {
                    grantUni(rank);
                }
            } else if (rank >= 0 && rank < consumed.length) {
                consumed[rank] += credit;
                if (consumed[rank] + maxCredits - granted[rank] >= threshold) {
                    grant(rank);
                }
            } else if (rank == DEPARTED) {
                for (int j = 0; j < joiners.length; j++) {
                    if (joiners[j]) {
                        consumed[j] += credit;
                        if (consumed[j] + maxCredits - granted[j] >= threshold) {
                            grant(j);
                        }
                    }
                }
            }
        }
        unconsumedGauge.set(unconsumed);
        if (fifoSize > 0 && !pollScheduled) {
            pollScheduled = true;
            ctx().schedule(pollNs, pollTask);
        }
    }

    /** @return what a message of {@code payload} bytes counts against credit (at both ends alike) */
    private long charge(final long payload) {
        return Math.max(payload, minCharge);
    }

    private void grant(final int rank) {
        granted[rank] = consumed[rank] + maxCredits;
        if (rank == selfRank()) {
            allowed[rank] = Math.max(allowed[rank], granted[rank]);
            sendPending(ctx());
        } else {
            control(CreditControl.GRANT, granted[rank], view().members().get(rank).key());
        }
        grantsSent.increment();
    }

    private void grantUni(final int rank) {
        grantedUni[rank] = consumedUni[rank] + maxCredits;
        if (rank == selfRank()) {
            allowedUni[rank] = Math.max(allowedUni[rank], grantedUni[rank]);
            sendPending(ctx());
        } else {
            control(CreditControl.GRANT_UNI, grantedUni[rank], view().members().get(rank).key());
        }
        grantsSent.increment();
    }

    private void control(final byte kind, final long value, final long to) {
        final Message f = ctx().allocateControl(CreditControl.LENGTH);
        CreditControl.write(f.buffer(), f.payloadOffset(), kind, viewTag(), value);
        ctx().sendControl(f, to);
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        final int rank = rankOf(m.sender());
        if (rank < 0 || m.payloadLength() != CreditControl.LENGTH) {
            malformed();
            return;
        }
        if (!sameView(CreditControl.viewTag(m.buffer(), o))) {
            return;
        }
        final byte kind = CreditControl.kind(m.buffer(), o);
        if (kind == CreditControl.GRANT) {
            // Cumulative: never lowers a grant, so duplicates and reordering are harmless.
            allowed[rank] = Math.max(allowed[rank], CreditControl.value(m.buffer(), o));
            sendPending(c);
        } else if (kind == CreditControl.REQUEST) {
            control(CreditControl.GRANT, granted[rank], m.sender());
            grantsSent.increment();
        } else if (kind == CreditControl.GRANT_UNI) {
            allowedUni[rank] = Math.max(allowedUni[rank], CreditControl.value(m.buffer(), o));
            sendPending(c);
        } else if (kind == CreditControl.REQUEST_UNI) {
            control(CreditControl.GRANT_UNI, grantedUni[rank], m.sender());
            grantsSent.increment();
        } else {
            malformed();
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("sent=").append(sent).append(" allowed=").append(java.util.Arrays.toString(allowed))
            .append(" pending=").append(pendingLength).append(" unconsumed=").append(unconsumed);
    }
}
