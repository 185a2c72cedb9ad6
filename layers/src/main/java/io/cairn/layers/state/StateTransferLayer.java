package io.cairn.layers.state;

import io.cairn.stack.event.Exited;
import io.cairn.api.MemberId;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.StateChunk;
import io.cairn.stack.event.StateSnapshotRequest;
import io.cairn.stack.event.UpEvent;
import io.cairn.api.View;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;
import io.cairn.stack.store.MessageLog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** State transfer to joiners at the cut of the view they join in. See the package documentation. */
@LayerSpec(name = "state-transfer", id = StateTransferLayer.ID, position = 800,
    provides = "state-transfer", requires = "membership")
public final class StateTransferLayer extends PerViewLayer {
    /** Layer id of state-transfer. */
    public static final int ID = 40;
    /** Reason of the {@link Exited} of a joiner that leaves before its state arrived (not a clean leave). */
    public static final String LEFT_BEFORE_STATE = "state transfer interrupted: asked to leave before the state arrived";
    /** Reason of the {@link Exited} a joiner emits when its provider failed before the state was complete. */
    public static final String INTERRUPTED = "state transfer interrupted";

    /** One snapshot streaming to one joiner, a window of chunks at a time. */
    private static final class Transfer {
        final MemberId joiner;
        final InputStream in;
        final ArrayDeque<long[]> offsets = new ArrayDeque<>();
        final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        final ArrayDeque<Integer> lengths = new ArrayDeque<>();
        long read;
        long acked;
        boolean eof;
        long lastProgressNs;

        Transfer(final MemberId joiner, final InputStream in, final long now) {
            this.joiner = joiner;
            this.in = in;
            this.lastProgressNs = now;
        }
    }

    private final TimerTask retry = this::onRetry;
    private final Message replay = new Message();
    private final List<Transfer> transfers = new ArrayList<>();
    private long retryNs;
    private int window;
    private int chunkBytes;
    private int storeChunk;

    private boolean needState;
    private MemberId provider;
    private long received;
    private MessageLog held;
    private long heldNext;
    /** Casts issued while waiting for the state: sent once it is complete, dropped if this member exits. */
    private long lastChunkNs;
    private boolean retryScheduled;
    private boolean exited;

    private Counter sentChunks;
    private Counter receivedChunks;

    @Override
    public void configure(final Settings s) {
        retryNs = s.durationNs("retry-interval", Settings.MICROSECOND, Settings.HOUR);
        window = s.intIn("window", 1, 1 << 20);
        chunkBytes = (int) s.bytesIn("chunk-size", 16, 1 << 30);
        storeChunk = s.storeChunkSize();
    }

    @Override
    protected void onInit(final LayerContext c) {
        chunkBytes = (int) Math.min(chunkBytes, c.maxFrameLength() - 64L - 20);
        if (chunkBytes < 16) {
            throw new IllegalArgumentException("state-transfer: the transport frame (" + c.maxFrameLength()
                + " B) leaves less than 16 bytes per state chunk");
        }
        held = new MessageLog(storeChunk);
        sentChunks = c.counter("chunks_sent");
        receivedChunks = c.counter("chunks_received");
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (!(e instanceof ViewInstalled vi)) {
            if (e instanceof Exited x && x.left() && needState && !exited) {
                // A joiner that leaves before its state arrived never delivered its last view's messages (they
                // wait here for the state): it did not leave cleanly from that view, it just stopped.
                needState = false;
                held.clear();
                exited = true;
                c.up(new Exited(LEFT_BEFORE_STATE, false));
                return;
            }
            if (!exited) {
                c.up(e);
            }
            return;
        }
        if (exited) {
            return;
        }
        final View previous = view();
        final View next = vi.view();
        closeTransfers();
        if (needState) {
            // The provider failed before the state was complete: this member never delivered the previous view's
            // messages, so it must not install the next view either. It leaves (and rejoins as a new incarnation).
            needState = false;
            held.clear();
            exited = true;
            c.up(new Exited(INTERRUPTED, true));
            return;
        }
        enterView(c, next);
        c.up(e);
        final boolean joined = (previous == null || !previous.contains(c.self())) && next.id().epoch() > 1;
        if (joined) {
            needState = true;
            provider = next.members().get(0);
            received = 0;
            lastChunkNs = c.nowNs();
            scheduleRetry();
        } else if (previous != null && next.members().get(0).equals(c.self())) {
            for (final MemberId m : next.members()) {
                if (!previous.contains(m)) {
                    startTransfer(c, m);
                }
            }
        }
    }

    /** Transfers start in {@code onUpEvent}, once the view went up: the application sees it before any snapshot. */
    @Override
    protected void onView(final LayerContext c, final View v) {
    }

    /** At the cut: the application's snapshot for this joiner, streamed from now on. */
    private void startTransfer(final LayerContext c, final MemberId joiner) {
        final StateSnapshotRequest request = new StateSnapshotRequest(joiner);
        c.up(request);
        final Transfer t = new Transfer(joiner, request.stream(), c.nowNs());
        transfers.add(t);
        fill(c, t);
        scheduleRetry();
    }

    private void fill(final LayerContext c, final Transfer t) {
        while (!t.eof && t.chunks.size() < window) {
            final byte[] chunk = new byte[chunkBytes];
            int n = 0;
            try {
                if (t.in != null) {
                    int r;
                    while (n < chunkBytes && (r = t.in.read(chunk, n, chunkBytes - n)) > 0) {
                        n += r;
                    }
                }
            } catch (final IOException ex) {
                c.logger().log(System.Logger.Level.WARNING, "reading the state for " + t.joiner + " failed", ex);
            }
            t.eof = n < chunkBytes;
            t.offsets.add(new long[] {t.read});
            t.chunks.add(chunk);
            t.lengths.add(n);
            sendChunk(c, t, t.read, chunk, n, t.eof);
            t.read += n;
        }
    }

    private void sendChunk(final LayerContext c, final Transfer t, final long offset, final byte[] chunk,
                           final int length, final boolean last) {
        final Message f = c.allocateControl(StateControl.DATA_OFFSET + length);
        StateControl.writeChunk(f.buffer(), f.payloadOffset(), viewTag(), offset, last, chunk, length);
        c.sendControl(f, t.joiner.key());
        sentChunks.increment();
    }

    private void closeTransfers() {
        for (final Transfer t : transfers) {
            close(t);
        }
        transfers.clear();
    }

    private static void close(final Transfer t) {
        try {
            if (t.in != null) {
                t.in.close();
            }
        } catch (final IOException ignored) {
            // Nothing more to do with a state stream that fails to close.
        }
    }

    /**
     * A joiner's casts go out while it waits for its state: its application has seen the view, and the view is
     * where they were taken (holding them until the state arrived could send them after a flush began, in a later
     * view). Its own deliveries wait with everyone else's.
     */
    @Override
    public void onCast(final LayerContext c, final Message m) {
        if (!exited) {
            c.cast(m);
        }
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        if (exited) {
            return;
        }
        if (needState && !m.isUnicast()) {
            held.put(++heldNext, m);
            return;
        }
        c.deliver(m);
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        final int o = m.payloadOffset();
        if (!StateControl.validate(m.buffer(), o, m.payloadLength())) {
            malformed();
            return;
        }
        if (!sameView(StateControl.viewTag(m.buffer(), o))) {
            return;
        }
        if (StateControl.type(m.buffer(), o) == StateControl.ACK) {
            onAck(c, m.sender(), StateControl.offset(m.buffer(), o));
        } else if (needState && provider.key() == m.sender()) {
            onChunk(c, m, o);
        }
    }

    private void onChunk(final LayerContext c, final Message m, final int o) {
        if (StateControl.offset(m.buffer(), o) == received) {
            final int len = StateControl.length(m.buffer(), o);
            final byte[] data = new byte[len];
            m.buffer().getBytes(o + StateControl.DATA_OFFSET, data);
            received += len;
            receivedChunks.increment();
            lastChunkNs = c.nowNs();
            final boolean last = StateControl.last(m.buffer(), o);
            c.up(new StateChunk(provider, data, last));
            if (last) {
                needState = false;
                sendAck(c, received + 1);
                releaseHeld(c);
                return;
            }
        }
        sendAck(c, received);
    }

    private void sendAck(final LayerContext c, final long value) {
        final Message a = c.allocateControl(StateControl.ACK_LENGTH);
        StateControl.writeAck(a.buffer(), a.payloadOffset(), viewTag(), value);
        c.sendControl(a, provider.key());
    }

    private void releaseHeld(final LayerContext c) {
        for (long i = 1; i <= heldNext; i++) {
            if (held.contains(i)) {
                c.deliver(held.replay(i, replay, c.headroom()));
            }
        }
        held.clear();
        heldNext = 0;
    }

    /** Provider: the joiner has everything below {@code value} (one past the end once it has the last chunk). */
    private void onAck(final LayerContext c, final long from, final long value) {
        for (int i = 0; i < transfers.size(); i++) {
            final Transfer t = transfers.get(i);
            if (t.joiner.key() != from || value <= t.acked) {
                continue;
            }
            t.acked = value;
            t.lastProgressNs = c.nowNs();
            while (!t.chunks.isEmpty() && t.offsets.peek()[0] + t.lengths.peek() <= value
                && (t.offsets.peek()[0] + t.lengths.peek() < value || !t.eof || t.chunks.size() > 1)) {
                t.offsets.poll();
                t.chunks.poll();
                t.lengths.poll();
            }
            if (t.eof && value > t.read) {
                close(t);
                transfers.remove(i);
                return;
            }
            fill(c, t);
            return;
        }
    }

    /** Resend unacknowledged chunks after a quiet retry interval; keep acknowledging while waiting. */
    private void onRetry(final long now) {
        retryScheduled = false;
        for (final Transfer t : transfers) {
            if (now - t.lastProgressNs >= retryNs) {
                final var offsets = t.offsets.iterator();
                final var lengths = t.lengths.iterator();
                int k = 0;
                for (final byte[] chunk : t.chunks) {
                    final long off = offsets.next()[0];
                    final int len = lengths.next();
                    sendChunk(ctx(), t, off, chunk, len, t.eof && ++k == t.chunks.size());
                }
                t.lastProgressNs = now;
            }
        }
        if (needState && now - lastChunkNs >= retryNs) {
            sendAck(ctx(), received);
        }
        if (!transfers.isEmpty() || needState) {
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx().schedule(retryNs, retry);
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("view=").append(view() == null ? "-" : view().id()).append(" needState=").append(needState)
            .append(" received=").append(received).append(" transfers=").append(transfers.size());
    }
}
