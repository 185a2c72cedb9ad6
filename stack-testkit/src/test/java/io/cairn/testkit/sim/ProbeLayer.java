package io.cairn.testkit.sim;

import io.cairn.stack.event.UpEvent;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.TimerTask;

/**
 * Test layer: a timer every 100 ms of the stack's clock counts {@code ticks} and publishes the clock's reading
 * ({@code now_ms}) and the bytes the application consumed ({@code consumed}), so tests see what a member's clock
 * and application do.
 */
public final class ProbeLayer implements Layer {
    static final long TICK_NS = 100_000_000L;
    private final TimerTask tick = this::onTick;
    private LayerContext ctx;
    private Counter ticks;
    private Counter nowMs;
    private Counter consumed;
    private boolean started;

    @Override
    public void init(final LayerContext c) {
        ctx = c;
        ticks = c.counter("ticks");
        nowMs = c.counter("now_ms");
        consumed = c.counter("consumed");
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (!started && e instanceof ViewInstalled) {
            started = true;
            nowMs.set(c.nowNs() / 1_000_000L);
            c.schedule(TICK_NS, tick);
        }
        c.up(e);
    }

    private void onTick(final long now) {
        ticks.increment();
        nowMs.set(now / 1_000_000L);
        consumed.set(ctx.consumedBytes());
        ctx.schedule(TICK_NS, tick);
    }
}
