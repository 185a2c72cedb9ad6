package io.cairn.layers.pt2pt;

import io.cairn.stack.event.Message;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.store.MessageLog;
import io.cairn.stack.store.SequenceWindow;
import org.agrona.collections.Long2ObjectHashMap;


/** Reliable FIFO point-to-point sends with cumulative acknowledgements and a window. See the package doc. */
@LayerSpec(name = "pt2pt", id = Pt2ptLayer.ID, position = 250,
    provides = "reliable-unicast", header = Pt2ptHeader.LENGTH)
public final class Pt2ptLayer extends PerViewLayer {
    /** Layer id of pt2pt. */
    public static final int ID = 5;

    /** Sending side towards one member. */
    private static final class Out {
        long nextSeq;
        long acked;
        long sentUpTo;
        final MessageLog log;
        int attempts;
        long lastProgressNs;

        Out(final int chunk) {
            log = new MessageLog(chunk);
        }
    }

    /** Receiving side from one member. */
    private static final class In {
        final SequenceWindow window;
        final MessageLog holdBack;
        long delivered;
        long ackedUpTo;
        boolean ackPending;

        In(final int window, final int chunk) {
            this.window = new SequenceWindow(window);
            this.holdBack = new MessageLog(chunk);
        }
    }

    private final Long2ObjectHashMap<Out> out = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<In> in = new Long2ObjectHashMap<>();
    private final Message held = new Message();
    private final TimerTask retransmitTask = this::onRetransmitTimer;
    private final TimerTask ackTask = this::onAckTimer;
    private int window;
    private long rtoNs;
    private long maxRtoNs;
    private long ackDelayNs;
    private int chunk;
    private boolean retransmitScheduled;
    private boolean ackScheduled;
    private Counter sent;
    private Counter queued;
    private Counter retransmitted;
    private Counter duplicates;
    private Counter acksSent;
    private Counter unackedGauge;
    private long unackedBytes;

    @Override
    public void configure(final Settings s) {
        window = s.intIn("window", 1, 1 << 20);
        rtoNs = s.durationNs("retransmit-timeout", Settings.MICROSECOND, Settings.HOUR);
        maxRtoNs = s.durationNs("max-retransmit-timeout", Settings.MICROSECOND, Settings.HOUR);
        s.require(maxRtoNs >= rtoNs, "max-retransmit-timeout", "must be at least retransmit-timeout ("
            + Settings.duration(rtoNs) + ")");
        ackDelayNs = s.durationNs("ack-delay", 0, Settings.HOUR);
        chunk = s.storeChunkSize();
    }

    @Override
    protected void onInit(final LayerContext c) {
        sent = c.counter("sent");
        queued = c.counter("queued");
        retransmitted = c.counter("retransmitted");
        duplicates = c.counter("duplicates");
        acksSent = c.counter("acks_sent");
        unackedGauge = c.counter("gauge.unacked_bytes");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        startView(v);
    }

    /** Connections are per view: a send is delivered in the view it was sent in, or not at all. */
    private void startView(final View v) {
        out.clear();
        in.clear();
        unackedBytes = 0;
        unackedGauge.set(0);
    }

    @Override
    public void onSend(final LayerContext c, final Message m) {
        if (view() == null || view().rankOfKey(m.destination()) < 0) {
            malformed();
            return;
        }
        Out o = out.get(m.destination());
        if (o == null) {
            o = new Out(chunk);
            o.lastProgressNs = c.nowNs();
            out.put(m.destination(), o);
        }
        final long seq = ++o.nextSeq;
        Pt2ptHeader.seq(m.buffer(), m.offset() + c.headerOffset(), seq);
        o.log.put(seq, m.buffer(), m.offset(), m.length());
        unackedBytes += m.length();
        unackedGauge.set(unackedBytes);
        sent.increment();
        if (seq - o.acked <= window) {
            o.sentUpTo = seq;
            c.send(m);
        } else {
            queued.increment();
        }
        scheduleRetransmit();
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final long seq = Pt2ptHeader.seq(m.buffer(), m.offset() + c.headerOffset());
        if (seq == 0 || !m.isUnicast()) {
            c.deliver(m);
            return;
        }
        if (!inView(m.viewEpoch()) || view().rankOfKey(m.sender()) < 0 || seq < 0) {
            malformed();
            return;
        }
        In i = in.get(m.sender());
        if (i == null) {
            i = new In(Math.max(64, window), chunk);
            in.put(m.sender(), i);
        }
        if (!i.window.mark(seq)) {
            duplicates.increment();
            i.ackPending = true;
            scheduleAck();
            return;
        }
        if (seq != i.delivered + 1) {
            i.holdBack.put(seq, m.buffer(), m.offset(), m.length());
        } else {
            i.delivered = seq;
            c.deliver(m);
            long next;
            while (i.holdBack.contains(next = i.delivered + 1)) {
                held.wrap(i.holdBack.buffer(next), i.holdBack.offset(next), i.holdBack.length(next), c.headroom());
                i.delivered = next;
                c.deliver(held);
                i.holdBack.trimTo(next);
            }
        }
        i.ackPending = true;
        if (i.delivered - i.ackedUpTo >= Math.max(1, window / 2)) {
            sendAck(m.sender(), i);
        } else {
            scheduleAck();
        }
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        if (view() == null || m.payloadLength() != Pt2ptHeader.ACK_LENGTH) {
            malformed();
            return;
        }
        final int b = m.payloadOffset();
        if (!sameView(Pt2ptHeader.ackViewTag(m.buffer(), b))) {
            return;
        }
        final Out o = out.get(m.sender());
        final long acked = Pt2ptHeader.acked(m.buffer(), b);
        if (o == null || acked > o.nextSeq || acked < 0) {
            malformed();
            return;
        }
        if (acked > o.acked) {
            final long before = o.log.bytes();
            o.log.trimTo(acked);
            unackedBytes -= before - o.log.bytes();
            unackedGauge.set(unackedBytes);
            o.acked = acked;
            o.attempts = 0;
            o.lastProgressNs = c.nowNs();
            while (o.sentUpTo < o.nextSeq && o.sentUpTo - o.acked < window) {
                transmit(c, m.sender(), ++o.sentUpTo, o);
            }
        }
    }

    private void transmit(final LayerContext c, final long destination, final long seq, final Out o) {
        final int len = o.log.length(seq);
        if (len < 0) {
            return;
        }
        final Message m = c.allocate(len - c.headroom());
        o.log.copy(seq, m.buffer(), m.offset());
        c.send(m.destination(destination));
    }

    private void sendAck(final long to, final In i) {
        final Message a = ctx().allocateControl(Pt2ptHeader.ACK_LENGTH);
        Pt2ptHeader.writeAck(a.buffer(), a.payloadOffset(), viewTag(), i.delivered);
        ctx().sendControl(a, to);
        i.ackedUpTo = i.delivered;
        i.ackPending = false;
        acksSent.increment();
    }

    private void scheduleAck() {
        if (!ackScheduled) {
            ackScheduled = true;
            ctx().schedule(ackDelayNs, ackTask);
        }
    }

    private void onAckTimer(final long now) {
        ackScheduled = false;
        in.forEach((k, i) -> {
            if (i.ackPending) {
                sendAck(k, i);
            }
        });
    }

    private void scheduleRetransmit() {
        if (!retransmitScheduled) {
            retransmitScheduled = true;
            ctx().schedule(rtoNs, retransmitTask);
        }
    }

    /** Resends what is unacknowledged towards members that made no progress for a (backed-off) timeout. */
    private void onRetransmitTimer(final long now) {
        retransmitScheduled = false;
        boolean pending = false;
        for (final Long2ObjectHashMap<Out>.EntryIterator it = out.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            final long dest = it.getLongKey();
            final Out o = it.getValue();
            if (o.acked >= o.nextSeq) {
                continue;
            }
            pending = true;
            final long timeout = Math.min(maxRtoNs, rtoNs << Math.min(o.attempts, 20));
            if (now - o.lastProgressNs >= timeout) {
                for (long s = o.acked + 1; s <= o.sentUpTo; s++) {
                    transmit(ctx(), dest, s, o);
                    retransmitted.increment();
                }
                o.attempts++;
                o.lastProgressNs = now;
            }
        }
        if (pending) {
            scheduleRetransmit();
        }
    }

    @Override
    public void dump(final StringBuilder b) {
        b.append("out=").append(out.size()).append(" in=").append(in.size()).append(" unacked=")
            .append(unackedBytes).append('B');
    }
}
