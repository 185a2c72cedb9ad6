package io.cairn.layers.relay;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Trim;
import io.cairn.stack.event.SyncTo;
import io.cairn.api.View;
import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.store.MessageLog;
import io.cairn.stack.wire.OriginSeqHeader;

/** Keeps the view's multicasts until stable and hands them to members that lack them. See package doc. */
// Positioned after nak-reliability: property synthesis picks nak-reliability for recovery over lossy transports.
@LayerSpec(name = "relay", id = RelayLayer.ID, position = 210,
    provides = "recovery", requires = {"reliable", "fifo"}, header = OriginSeqHeader.LENGTH)
public final class RelayLayer extends PerViewLayer {
    /** Layer id of relay. */
    public static final int ID = 7;

    private final Message replay = new Message();
    private final TimerTask highestTask = this::onHighestTimer;
    private long requestIntervalNs;
    private long highestIntervalNs;
    private int maxPerRequest;
    private int chunk;

    private long[] received = new long[0];
    private long[] lastRequestAt = new long[0];
    private MessageLog[] logs = new MessageLog[0];
    private long nextSeq;
    private long stableSelf;
    private long selfAtLastTimer;
    private boolean highestScheduled;

    private Counter duplicates;
    private Counter gaps;
    private Counter requests;
    private Counter relayed;
    private Counter recovered;

    @Override
    public void configure(final Settings s) {
        requestIntervalNs = s.durationNs("request-interval", Settings.MICROSECOND, Settings.HOUR);
        highestIntervalNs = s.durationNs("highest-interval", Settings.MICROSECOND, Settings.HOUR);
        maxPerRequest = s.intIn("max-per-request", 1, 1 << 20);
        chunk = s.storeChunkSize();
    }

    @Override
    protected void onInit(final LayerContext c) {
        duplicates = c.counter("duplicates");
        gaps = c.counter("gaps");
        requests = c.counter("requests");
        relayed = c.counter("relayed");
        recovered = c.counter("recovered");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        received = new long[v.size()];
        lastRequestAt = new long[v.size()];
        logs = new MessageLog[v.size()];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = viewLog(chunk);
            lastRequestAt[i] = Long.MIN_VALUE / 2;
        }
        nextSeq = 0;
        stableSelf = 0;
        selfAtLastTimer = 0;
    }

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof Trim st && inView(st.viewEpoch())) {
            final long[] stable = st.stable();
            for (int i = 0; i < Math.min(stable.length, logs.length); i++) {
                logs[i].trimTo(stable[i]);
            }
            if (selfRank() >= 0 && selfRank() < stable.length) {
                stableSelf = Math.max(stableSelf, stable[selfRank()]);
            }
        } else if (e instanceof SyncTo sync && inView(sync.viewEpoch())) {
            syncTo(c, sync.counts());
        }
        super.onDownEvent(c, e);
    }

    /** A flush needs the first counts[i] messages of every rank: ask every member (the sender may be gone). */
    private void syncTo(final LayerContext c, final long[] counts) {
        for (int i = 0; i < Math.min(counts.length, received.length); i++) {
            if (i != selfRank() && received[i] < counts[i]) {
                sendControl(c, RelayControl.REQUEST, i, received[i] + 1, counts[i], 0);
            }
        }
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void onCast(final LayerContext c, final Message m) {
        if (view() == null || selfRank() < 0) {
            noView();
            return;
        }
        OriginSeqHeader.write(m.buffer(), m.offset() + c.headerOffset(), ++nextSeq, selfRank(), 0);
        logs[selfRank()].put(nextSeq, m.buffer(), m.offset(), m.length());
        c.cast(m);
        if (!highestScheduled) {
            highestScheduled = true;
            c.schedule(highestIntervalNs, highestTask);
        }
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final int at = m.offset() + c.headerOffset();
        final long seq = OriginSeqHeader.seq(m.buffer(), at);
        if (seq == 0) {
            c.deliver(m);
            return;
        }
        if (!current(m.viewEpoch())) {
            return;
        }
        final boolean copy = OriginSeqHeader.isCopy(m.buffer(), at);
        final int origin = OriginSeqHeader.resolveOrigin(m, at, view());
        if (origin < 0) {
            malformed();
            return;
        }
        if (copy) {
            recovered.increment();
        }
        accept(c, origin, seq, m);
    }

    private void accept(final LayerContext c, final int origin, final long seq, final Message m) {
        final long next = received[origin] + 1;
        if (seq < next) {
            duplicates.increment();
            return;
        }
        if (seq > next) {
            // The reliable transport lost frames (a broken connection, a full queue): drop until the gap is filled.
            gaps.increment();
            request(c, origin, next);
            return;
        }
        received[origin] = seq;
        if (origin != selfRank()) {
            logs[origin].put(seq, m.buffer(), m.offset(), m.length());
        }
        c.deliver(m);
    }

    /**
     * Asks the origin for everything from {@code from} on, at most once per request-interval. A gap in this
     * member's own messages (its loopback was refused by a full inbound queue) is filled at once from its copies.
     */
    private void request(final LayerContext c, final int origin, final long from) {
        if (origin == selfRank()) {
            answer(c, origin, from, Long.MAX_VALUE, c.self().key());
            return;
        }
        final long now = c.nowNs();
        if (now - lastRequestAt[origin] < requestIntervalNs) {
            return;
        }
        lastRequestAt[origin] = now;
        sendControl(c, RelayControl.REQUEST, origin, from, Long.MAX_VALUE, view().members().get(origin).key());
    }

    private void sendControl(final LayerContext c, final byte type, final int origin, final long from,
                             final long to, final long destination) {
        final Message m = c.allocateControl(RelayControl.LENGTH);
        RelayControl.write(m.buffer(), m.payloadOffset(), type, viewTag(), origin, from, to);
        requests.increment();
        if (destination == 0) {
            c.castControl(m);
        } else {
            c.sendControl(m, destination);
        }
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        if (!RelayControl.validate(m.buffer(), o, m.payloadLength())) {
            malformed();
            return;
        }
        if (!sameView(RelayControl.viewTag(m.buffer(), o))
            || view().rankOfKey(m.sender()) < 0) {
            noView();
            return;
        }
        final int origin = RelayControl.origin(m.buffer(), o);
        if (origin >= received.length) {
            malformed();
            return;
        }
        final long from = RelayControl.from(m.buffer(), o);
        final long to = RelayControl.to(m.buffer(), o);
        if (RelayControl.type(m.buffer(), o) == RelayControl.HIGHEST) {
            if (origin != selfRank() && to > received[origin]) {
                request(c, origin, received[origin] + 1);
            }
        } else if (m.sender() != c.self().key()) {
            answer(c, origin, from, to, m.sender());
        }
    }

    /** Sends the requester every message of origin in [from, to] this member holds, up to max-per-request. */
    private void answer(final LayerContext c, final int origin, final long from, final long to, final long requester) {
        final MessageLog log = logs[origin];
        int budget = requester == c.self().key() ? Integer.MAX_VALUE : maxPerRequest;
        for (long seq = Math.max(from, log.base()); seq <= Math.min(to, log.highest()) && budget > 0; seq++) {
            final int len = log.length(seq);
            if (len < 0) {
                continue;
            }
            budget--;
            final Message m = c.allocate(len - c.headroom());
            log.copy(seq, m.buffer(), m.offset());
            relayed.increment();
            if (requester == c.self().key()) {
                // Our own loopback lost it: deliver the copy as if it had come back.
                accept(c, origin, seq, replay.wrap(m.buffer(), m.offset(), m.length(), c.headroom()));
            } else {
                OriginSeqHeader.flags(m.buffer(), m.offset() + c.headerOffset(), OriginSeqHeader.FLAG_COPY);
                c.send(m.destination(requester));
            }
        }
    }

    /** While an own message is not known stable, tell everyone how far this member has sent. */
    private void onHighestTimer(final long now) {
        highestScheduled = false;
        if (view() == null || selfRank() < 0 || nextSeq <= stableSelf) {
            return;
        }
        if (received[selfRank()] < nextSeq && received[selfRank()] == selfAtLastTimer) {
            // The loopback of the last own casts was refused and nothing later revealed it: replay them.
            answer(ctx(), selfRank(), received[selfRank()] + 1, nextSeq, ctx().self().key());
        }
        selfAtLastTimer = received[selfRank()];
        sendControl(ctx(), RelayControl.HIGHEST, selfRank(), 0, nextSeq, 0);
        highestScheduled = true;
        ctx().schedule(highestIntervalNs, highestTask);
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" next=").append(nextSeq)
            .append(" stable=").append(stableSelf);
        for (int i = 0; i < received.length; i++) {
            out.append(" [").append(i).append(" received=").append(received[i]).append(" held=")
                .append(logs[i].count()).append(']');
        }
    }
}
