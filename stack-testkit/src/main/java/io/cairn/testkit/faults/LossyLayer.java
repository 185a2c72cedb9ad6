package io.cairn.testkit.faults;

import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.TimerTask;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A fault layer for real stacks (JGroups DISCARD, Ensemble's drop layer): placed at the bottom, it drops,
 * duplicates or delays outgoing data frames by probability, using the stack's seeded random generator. Control
 * frames bypass it, as they bypass every layer below their sender.
 *
 * <p>Settings ({@code cairn.layer.lossy}): {@code drop}, {@code duplicate}, {@code delay} (probabilities) and
 * {@code delay-time} (how long a delayed frame is held; later frames overtake it, which reorders).
 */
public final class LossyLayer implements Layer {
    private record Held(long dueNs, byte[] frame, long destination, boolean unicast) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final TimerTask release = this::release;
    private LayerContext ctx;
    private double drop;
    private double duplicate;
    private double delay;
    private long delayNs;
    private Counter dropped;
    private Counter duplicated;
    private Counter delayed;

    @Override
    public int layerId() {
        return 60_001;
    }

    @Override
    public void init(final LayerContext c) {
        this.ctx = c;
        drop = probability(c, "drop");
        duplicate = probability(c, "duplicate");
        delay = probability(c, "delay");
        delayNs = c.settings().getDuration("delay-time", TimeUnit.NANOSECONDS);
        dropped = c.counter("dropped");
        duplicated = c.counter("duplicated");
        delayed = c.counter("delayed");
    }

    private static double probability(final LayerContext c, final String key) {
        final double p = c.settings().getDouble(key);
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("cairn.layer.lossy." + key + " must be in [0, 1]: " + p);
        }
        return p;
    }

    @Override
    public void onCast(final LayerContext c, final Message msg) {
        pass(c, msg, false);
    }

    @Override
    public void onSend(final LayerContext c, final Message msg) {
        pass(c, msg, true);
    }

    private void pass(final LayerContext c, final Message msg, final boolean unicast) {
        if (drop > 0 && c.random().nextDouble() < drop) {
            dropped.increment();
            return;
        }
        if (delay > 0 && c.random().nextDouble() < delay) {
            final byte[] copy = new byte[msg.length()];
            msg.buffer().getBytes(msg.offset(), copy);
            final boolean first = held.isEmpty();
            held.add(new Held(c.nowNs() + delayNs, copy, msg.destination(), unicast));
            delayed.increment();
            if (first) {
                c.schedule(delayNs, release);
            }
            return;
        }
        forward(c, msg, unicast);
        if (duplicate > 0 && c.random().nextDouble() < duplicate) {
            duplicated.increment();
            forward(c, msg, unicast);
        }
    }

    private static void forward(final LayerContext c, final Message msg, final boolean unicast) {
        if (unicast) {
            c.send(msg);
        } else {
            c.cast(msg);
        }
    }

    private void release(final long nowNs) {
        Held h;
        while ((h = held.peek()) != null && h.dueNs <= nowNs) {
            held.poll();
            final Message m = ctx.allocate(h.frame.length - ctx.headroom());
            m.buffer().putBytes(m.offset(), h.frame);
            m.destination(h.destination);
            forward(ctx, m, h.unicast);
        }
        if (!held.isEmpty()) {
            ctx.schedule(held.peek().dueNs - nowNs, release);
        }
    }

    @Override
    public void dump(final StringBuilder out) {
        out.append("held=").append(held.size()).append(" dropped=").append(dropped.get());
    }
}
