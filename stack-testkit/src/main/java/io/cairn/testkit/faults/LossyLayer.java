package io.cairn.testkit.faults;

import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TimerTask;

import java.util.ArrayDeque;

/**
 * A fault layer for real stacks (JGroups DISCARD, Ensemble's drop layer): placed at the bottom, it drops,
 * duplicates or delays outgoing data frames by probability, using the stack's seeded random generator. Control
 * frames bypass it, as they bypass every layer below their sender.
 *
 * <p>Settings ({@code cairn.layer.lossy}): {@code drop}, {@code duplicate}, {@code delay} (probabilities) and
 * {@code delay-time} (how long a delayed frame is held; later frames overtake it, which reorders).
 */
@LayerSpec(name = "lossy", id = 60_001, position = 10)
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
    public void configure(final Settings s) {
        drop = s.doubleIn("drop", 0, 1);
        duplicate = s.doubleIn("duplicate", 0, 1);
        delay = s.doubleIn("delay", 0, 1);
        delayNs = s.durationNs("delay-time", 0, Settings.HOUR);
    }

    @Override
    public void init(final LayerContext c) {
        this.ctx = c;
        dropped = c.counter("dropped");
        duplicated = c.counter("duplicated");
        delayed = c.counter("delayed");
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
