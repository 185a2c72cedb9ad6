package io.cairn.layers.fragmentation;

import io.cairn.stack.event.Message;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Splits messages larger than a transport frame and reassembles them. See the package documentation. */
@LayerSpec(name = "fragmentation", id = FragmentationLayer.ID, position = 100,
    provides = "fragmentation", header = FragmentHeader.LENGTH)
public final class FragmentationLayer extends PerViewLayer {
    /** Layer id of fragmentation. */
    public static final int ID = 4;

    /** Reassemblies kept for reuse: a large message's buffer is not allocated (and zeroed) again for the next. */
    private static final int POOLED = 4;
    /**
     * Bytes the pooled buffers may hold together: a rare huge message does not pin its memory, and a group of many
     * keeps little. Beyond max-reassembly-bytes, which counts messages, not the buffers they borrowed.
     */
    private static final long POOLED_BYTES = 512 << 10;

    private final List<Reassembly> partials = new ArrayList<>();
    private final ArrayDeque<Reassembly> pool = new ArrayDeque<>(POOLED);
    private final Message whole = new Message();
    private int maxMessage;
    private int maxPartials;
    private long maxPartialBytes;
    private long partialBytes;
    private long pooledBytes;
    private long timeoutNs;
    private int nextId;
    private Counter fragmented;
    private Counter reassembled;
    private Counter evicted;
    private Counter oversize;
    private Counter duplicates;

    @Override
    public void configure(final Settings s) {
        maxMessage = (int) s.bytesIn("max-message-size", 1, Integer.MAX_VALUE - 1024);
        maxPartials = s.intIn("max-partial-messages", 1, 1 << 20);
        maxPartialBytes = s.bytesIn("max-reassembly-bytes", 1, 1L << 40);
        timeoutNs = s.durationNs("reassembly-timeout", Settings.MICROSECOND, Settings.HOUR);
    }

    @Override
    protected void onInit(final LayerContext c) {
        if (c.maxFrameLength() - c.bodyOffset() < 64) {
            throw new IllegalArgumentException("fragmentation: the transport frame (" + c.maxFrameLength()
                + " B) leaves no room above the headers (" + c.bodyOffset() + " B)");
        }
        fragmented = c.counter("fragmented");
        reassembled = c.counter("reassembled");
        evicted = c.counter("evicted");
        oversize = c.counter("oversize");
        duplicates = c.counter("duplicates");
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        // Fragments of the old view can never complete: frames of other views are dropped below. The pool goes too,
        // so a group that once carried large messages does not hold their buffers for the rest of its life.
        partials.clear();
        pool.clear();
        pooledBytes = 0;
        partialBytes = 0;
    }

    @Override
    public void onCast(final LayerContext c, final Message m) {
        split(c, m, false);
    }

    @Override
    public void onSend(final LayerContext c, final Message m) {
        split(c, m, true);
    }

    private void split(final LayerContext c, final Message m, final boolean unicast) {
        final int body = c.bodyOffset();
        final int total = m.length() - body;
        final int room = c.maxFrameLength() - body;
        if (total <= room) {
            FragmentHeader.write(m.buffer(), m.offset() + c.headerOffset(), 0, 0, total, 0, 1);
            forward(c, m, unicast);
            return;
        }
        final int count = (total + room - 1) / room;
        if (total > maxMessage || count > 0xFFFF) {
            oversize.increment();
            c.logger().log(System.Logger.Level.WARNING, "dropping a " + total + " B message: above "
                + "fragmentation.max-message-size (" + maxMessage + " B)");
            return;
        }
        final int id = ++nextId;
        for (int i = 0, at = 0; i < count; i++, at += room) {
            final int len = Math.min(room, total - at);
            final Message f = c.allocate(0).length(body + len);
            f.buffer().putBytes(f.offset() + body, m.buffer(), m.offset() + body + at, len);
            FragmentHeader.write(f.buffer(), f.offset() + c.headerOffset(), id, at, total, i, count);
            f.destination(m.destination());
            forward(c, f, unicast);
        }
        fragmented.increment();
    }

    private static void forward(final LayerContext c, final Message m, final boolean unicast) {
        if (unicast) {
            c.send(m);
        } else {
            c.cast(m);
        }
    }

    @Override
    public void onDeliver(final LayerContext c, final Message m) {
        final int h = m.offset() + c.headerOffset();
        final int count = FragmentHeader.count(m.buffer(), h);
        final int body = c.bodyOffset();
        final int len = m.length() - body;
        final int total = FragmentHeader.total(m.buffer(), h);
        if (count == 1 && total == len) {
            c.deliver(m);
            return;
        }
        final int index = FragmentHeader.index(m.buffer(), h);
        final int at = FragmentHeader.offset(m.buffer(), h);
        if (count < 2 || index >= count || total <= 0 || total > maxMessage || len <= 0 || at < 0
            || at > total - len || (long) count * (c.maxFrameLength() - body) < total) {
            malformed();
            return;
        }
        final Reassembly r = find(c, m.sender(), FragmentHeader.id(m.buffer(), h), count, total, body);
        if (r == null) {
            return;
        }
        if (r.count != count || r.total != total || !r.fits(index, at, len)) {
            malformed();
            return;
        }
        if (!r.add(index, m.buffer(), m.offset() + body, body + at, len)) {
            duplicates.increment();
            return;
        }
        if (!r.prefixCopied) {
            // Frame header and the headers below this layer come from the first fragment received.
            r.frame.putBytes(0, m.buffer(), m.offset(), body);
            r.prefixCopied = true;
        }
        if (r.complete()) {
            partials.remove(r);
            partialBytes -= r.total;
            reassembled.increment();
            c.deliver(whole.wrap(r.frame, 0, body + total, c.headroom()));
            // The delivered message is valid only during that call, so its buffer can take the next one.
            release(r);
        }
    }

    private Reassembly find(final LayerContext c, final long sender, final int id, final int count, final int total,
                            final int prefix) {
        for (int i = 0; i < partials.size(); i++) {
            final Reassembly r = partials.get(i);
            if (r.sender == sender && r.id == id) {
                return r;
            }
        }
        final long now = c.nowNs();
        // Bound memory before allocating: evict stale partials, then the oldest, until the new one fits.
        for (int i = partials.size() - 1; i >= 0; i--) {
            if (now - partials.get(i).startedNs > timeoutNs) {
                evict(i);
            }
        }
        while (!partials.isEmpty() && (partials.size() >= maxPartials || partialBytes + total > maxPartialBytes)) {
            evict(0);
        }
        if (total > maxPartialBytes) {
            oversize.increment();
            return null;
        }
        final Reassembly pooled = pool.pollFirst();
        if (pooled != null) {
            pooledBytes -= pooled.capacity();
        }
        final Reassembly r = (pooled == null ? new Reassembly() : pooled).reset(sender, id, count, total, prefix, now);
        partials.add(r);
        partialBytes += total;
        return r;
    }

    private void evict(final int i) {
        final Reassembly r = partials.remove(i);
        partialBytes -= r.total;
        evicted.increment();
        release(r);
    }

    private void release(final Reassembly r) {
        if (pool.size() < POOLED && pooledBytes + r.capacity() <= POOLED_BYTES) {
            pool.addFirst(r);
            pooledBytes += r.capacity();
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("partials=").append(partials.size()).append(" pooled=").append(pool.size()).append(" nextId=")
            .append(nextId);
    }
}
