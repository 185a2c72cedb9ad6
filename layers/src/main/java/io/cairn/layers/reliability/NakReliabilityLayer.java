package io.cairn.layers.reliability;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.Trim;
import io.cairn.stack.event.SyncTo;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.store.MessageLog;
import io.cairn.stack.store.SequenceWindow;
import io.cairn.stack.wire.OriginSeqHeader;

/**
 * Reliable multicast by negative acknowledgement. See the package documentation for the protocol.
 */
@LayerSpec(name = "nak-reliability", id = NakReliabilityLayer.ID, position = 200,
    provides = {"reliable", "recovery"}, header = OriginSeqHeader.LENGTH)
public final class NakReliabilityLayer extends PerViewLayer {
    /** Layer id of nak-reliability. */
    public static final int ID = 1;

    /** What this member knows of one sender in the current view (itself included). */
    private static final class Peer {
        final SequenceWindow window;
        final MessageLog log;
        int attempts;
        long nextNakAt = Long.MAX_VALUE;
        long contiguousAtLastNak;
        /** New copies the last NAK can bring (what it asked for, up to what one answer holds); 0: none awaited. */
        int awaitedCopies;
        int copiesSinceNak;
        boolean relay;

        Peer(final NakSettings s, final MessageLog log) {
            window = new SequenceWindow(s.window());
            this.log = log;
        }
    }

    private final Message replay = new Message();
    private final Message selfNak = new Message();
    private final TimerTask nakTask = this::onNakTimer;
    private final TimerTask highestTask = this::onHighestTimer;
    private NakSettings s;
    private long[] ranges;

    private Peer[] peers = new Peer[0];
    private long nextSeq;
    private long lastAnnounced;
    private long stableSelf;
    private long storedBytes;
    private boolean nakScheduled;
    private long nakTimerId;
    private long nakTimerAt;
    private boolean highestScheduled;

    private Counter sent;
    private Counter delivered;
    private Counter duplicates;
    private Counter outOfWindow;
    private Counter naksSent;
    private Counter retransmitted;
    private Counter recovered;
    private Counter bufferGauge;

    @Override
    public void configure(final Settings settings) {
        s = NakSettings.from(settings);
    }

    @Override
    protected void onInit(final LayerContext c) {
        ranges = new long[2 * s.maxRanges()];
        sent = c.counter("sent");
        delivered = c.counter("delivered");
        duplicates = c.counter("duplicates");
        outOfWindow = c.counter("out_of_window");
        naksSent = c.counter("naks_sent");
        retransmitted = c.counter("retransmitted");
        recovered = c.counter("recovered");
        bufferGauge = c.counter("gauge.retransmit_bytes");
    }

    // ------------------------------------------------------------------ views

    @Override
    protected void onView(final LayerContext c, final View v) {
        startView(v);
    }

    @Override
    public void onDownEvent(final LayerContext c, final DownEvent e) {
        if (e instanceof Trim st && inView(st.viewEpoch())) {
            trim(st.stable());
        } else if (e instanceof SyncTo sync && inView(sync.viewEpoch())) {
            syncTo(c, sync.counts());
        }
        super.onDownEvent(c, e);
    }

    /** Per-view state starts afresh: sequence numbers restart at 1 and old copies are dropped. */
    private void startView(final View v) {
        peers = new Peer[v.size()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new Peer(s, viewLog(s.chunkBytes()));
        }
        nextSeq = 0;
        lastAnnounced = 0;
        stableSelf = 0;
        storedBytes = 0;
        bufferGauge.set(0);
    }

    /**
     * A flush needs the first {@code counts[i]} messages of every rank: treat them as announced and ask every
     * member at once (the original sender may have failed).
     */
    private void syncTo(final LayerContext c, final long[] counts) {
        for (int i = 0; i < Math.min(counts.length, peers.length); i++) {
            final Peer p = peers[i];
            if (i == selfRank() || counts[i] <= p.window.contiguous()) {
                continue;
            }
            p.window.seen(Math.min(counts[i], p.window.contiguous() + p.window.window()));
            p.relay = true;
            p.nextNakAt = c.nowNs();
            scheduleNakAt(p.nextNakAt);
        }
    }

    private void trim(final long[] stable) {
        for (int i = 0; i < Math.min(stable.length, peers.length); i++) {
            final MessageLog log = peers[i].log;
            storedBytes -= log.bytes();
            log.trimTo(stable[i]);
            storedBytes += log.bytes();
        }
        if (selfRank() >= 0 && selfRank() < stable.length) {
            stableSelf = Math.max(stableSelf, stable[selfRank()]);
        }
        bufferGauge.set(storedBytes);
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void onCast(final LayerContext c, final Message m) {
        if (view() == null || selfRank() < 0) {
            noView();
            return;
        }
        OriginSeqHeader.write(m.buffer(), m.offset() + c.headerOffset(), ++nextSeq, selfRank(), 0);
        store(peers[selfRank()], nextSeq, m);
        sent.increment();
        c.cast(m);
        scheduleHighest();
    }

    private void store(final Peer p, final long seq, final Message m) {
        if (p.log.put(seq, m.buffer(), m.offset(), m.length())) {
            storedBytes += m.length();
            bufferGauge.set(storedBytes);
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
        final Peer p = peers[origin];
        // The delivery may have run into a view change (the peers are then new): the answer belongs to the old view.
        if (accept(c, origin, seq, m) && copy && peers.length > origin && peers[origin] == p) {
            answered(p, origin);
        }
    }

    /**
     * A new copy arrived. Once a NAK that asked for more than one answer holds has been answered in full and gaps
     * remain, the next NAK goes at once: a burst lost to an overflowing queue (thousands of messages, 64 per
     * answer) comes back at one answer per round trip, in milliseconds, instead of one per {@code nak-interval}.
     * Smaller gaps (random loss) keep {@code nak-delay} and the interval, which absorb reordering.
     */
    private void answered(final Peer p, final int origin) {
        if (p.awaitedCopies > 0 && ++p.copiesSinceNak >= p.awaitedCopies) {
            p.awaitedCopies = 0;
            if (p.window.hasGaps()) {
                nak(origin, p, ctx().nowNs());
                scheduleNakAt(p.nextNakAt);
            }
        }
    }

    /** @return whether the message was new (marked and delivered) */
    private boolean accept(final LayerContext c, final int origin, final long seq, final Message m) {
        final Peer p = peers[origin];
        if (!p.window.mark(seq)) {
            if (p.window.received(seq)) {
                duplicates.increment();
            } else {
                outOfWindow.increment();
                p.window.seen(seq);
                gap(c, p);
            }
            return false;
        }
        if (origin != selfRank()) {
            store(p, seq, m);
        }
        delivered.increment();
        if (p.window.hasGaps()) {
            if (p.attempts > 0 && p.window.contiguous() > p.contiguousAtLastNak) {
                // Recovery is progressing: no backoff, ask again soon, and ask the original sender first.
                p.attempts = 0;
                p.contiguousAtLastNak = p.window.contiguous();
                p.nextNakAt = Math.min(p.nextNakAt, c.nowNs() + s.nakIntervalNs());
            }
            gap(c, p);
        } else {
            p.attempts = 0;
            p.nextNakAt = Long.MAX_VALUE;
        }
        c.deliver(m);
        return true;
    }

    /** A gap exists for this sender: make sure a NAK is due after the delay and the timer fires by then. */
    private void gap(final LayerContext c, final Peer p) {
        if (p.nextNakAt == Long.MAX_VALUE) {
            p.nextNakAt = c.nowNs() + s.nakDelayNs();
        }
        scheduleNakAt(p.nextNakAt);
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        if (!NakControl.validate(m.buffer(), o, m.payloadLength(), s.maxRanges())) {
            malformed();
            return;
        }
        if (!sameView(NakControl.viewTag(m.buffer(), o))
            || view().rankOfKey(m.sender()) < 0) {
            noView();
            return;
        }
        final int origin = NakControl.origin(m.buffer(), o);
        if (origin >= peers.length) {
            malformed();
            return;
        }
        if (NakControl.type(m.buffer(), o) == NakControl.HIGHEST) {
            final Peer p = peers[origin];
            final long highest = NakControl.highest(m.buffer(), o);
            if (highest > p.window.highest() && highest > p.window.contiguous()) {
                p.window.seen(Math.min(highest, p.window.contiguous() + p.window.window()));
                gap(c, p);
            }
            return;
        }
        retransmit(c, origin, m);
    }

    /** Answers a NAK with every requested message this member holds, point-to-point to the requester. */
    private void retransmit(final LayerContext c, final int origin, final Message nak) {
        final long requester = nak.sender();
        final int o = nak.payloadOffset();
        final MessageLog log = peers[origin].log;
        int budget = s.maxRetransmitPerNak();
        for (int r = 0, n = NakControl.count(nak.buffer(), o); r < n && budget > 0; r++) {
            final long from = Math.max(NakControl.from(nak.buffer(), o, r), log.base());
            final long to = Math.min(NakControl.to(nak.buffer(), o, r), log.highest());
            for (long seq = from; seq <= to && budget > 0; seq++) {
                final int len = log.length(seq);
                if (len < 0) {
                    continue;
                }
                budget--;
                final Message m = c.allocate(len - c.headroom());
                log.copy(seq, m.buffer(), m.offset());
                final int at = m.offset() + c.headerOffset();
                OriginSeqHeader.flags(m.buffer(), at, OriginSeqHeader.FLAG_COPY);
                retransmitted.increment();
                if (requester == c.self().key()) {
                    // Our own loopback lost it: redeliver locally, as if it had come back from the network.
                    OriginSeqHeader.flags(m.buffer(), at, 0);
                    accept(c, origin, seq, replay.wrap(m.buffer(), m.offset(), m.length(), c.headroom()));
                } else {
                    c.send(m.destination(requester));
                }
            }
        }
    }

    // ------------------------------------------------------------------ timers

    /** One timer serves every sender; it is pulled earlier when some sender's NAK falls due sooner. */
    private void scheduleNakAt(final long at) {
        if (nakScheduled) {
            if (nakTimerAt <= at) {
                return;
            }
            ctx().cancel(nakTimerId);
        }
        nakScheduled = true;
        nakTimerAt = at;
        nakTimerId = ctx().schedule(Math.max(0, at - ctx().nowNs()), nakTask);
    }

    private void onNakTimer(final long now) {
        nakScheduled = false;
        if (view() == null) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (int i = 0; i < peers.length; i++) {
            final Peer p = peers[i];
            if (!p.window.hasGaps()) {
                p.attempts = 0;
                p.nextNakAt = Long.MAX_VALUE;
                continue;
            }
            if (p.nextNakAt <= now) {
                nak(i, p, now);
            }
            next = Math.min(next, p.nextNakAt);
        }
        if (next != Long.MAX_VALUE) {
            scheduleNakAt(next);
        }
    }

    /** NAKs the gaps of {@code origin} now; the next NAK falls due after the (backed-off) interval. */
    private void nak(final int origin, final Peer p, final long now) {
        sendNak(origin, p);
        p.attempts++;
        p.contiguousAtLastNak = p.window.contiguous();
        p.nextNakAt = now + Math.min(s.maxNakIntervalNs(), s.nakIntervalNs() << Math.min(p.attempts - 1, 20));
    }

    private void sendNak(final int origin, final Peer p) {
        final int n = p.window.missing(ranges, s.maxRanges());
        p.awaitedCopies = 0;
        p.copiesSinceNak = 0;
        if (n == 0) {
            return;
        }
        final Message nak = ctx().allocateControl(NakControl.nakLength(n));
        NakControl.writeNak(nak.buffer(), nak.payloadOffset(), viewTag(), origin, ranges, n);
        naksSent.increment();
        if (origin == selfRank()) {
            // Answered here and now, through accept(): these copies are not counted, which would recurse.
            retransmit(ctx(), origin,
                selfNak.wrap(nak.buffer(), nak.offset(), nak.length(), nak.payloadOffset() - nak.offset()));
        } else if (p.attempts < s.relayAfter() && !p.relay) {
            long asked = 0;
            for (int r = 0; r < n; r++) {
                asked += ranges[2 * r + 1] - ranges[2 * r] + 1;
            }
            if (asked > s.maxRetransmitPerNak() || n == s.maxRanges()) {
                // More is missing than one answer holds: await that answer (the sender may hold less, and then
                // the timer asks). Not for NAKs to everyone, which several members answer at once.
                p.awaitedCopies = (int) Math.min(asked, s.maxRetransmitPerNak());
            }
            ctx().sendControl(nak, view().members().get(origin).key());
        } else {
            ctx().castControl(nak);
        }
    }

    private void scheduleHighest() {
        if (!highestScheduled) {
            highestScheduled = true;
            ctx().schedule(s.highestIntervalNs(), highestTask);
        }
    }

    /** While some own message is not known to be stable, tell everyone how far this member has sent. */
    private void onHighestTimer(final long now) {
        highestScheduled = false;
        if (view() == null || selfRank() < 0 || nextSeq == 0 || nextSeq <= stableSelf) {
            return;
        }
        final Message m = ctx().allocateControl(NakControl.HIGHEST_LENGTH);
        NakControl.writeHighest(m.buffer(), m.payloadOffset(), viewTag(), selfRank(), nextSeq);
        ctx().castControl(m);
        lastAnnounced = nextSeq;
        scheduleHighest();
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" next=").append(nextSeq)
            .append(" stored=").append(storedBytes).append("B announced=").append(lastAnnounced);
        for (int i = 0; i < peers.length; i++) {
            out.append(" [").append(i).append(" contiguous=").append(peers[i].window.contiguous())
                .append(" highest=").append(peers[i].window.highest()).append(']');
        }
    }
}
