package io.cairn.testkit.sim;

import io.cairn.stack.event.Exited;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;

/**
 * Test layer: the first incarnation of every member exits 100 ms after its first view, asking to rejoin (as a
 * member that lost the primary partition does), so tests can see who rejoins.
 */
public final class QuitterLayer implements Layer {
    private LayerContext ctx;
    private boolean started;

    @Override
    public void init(final LayerContext c) {
        ctx = c;
    }

    @Override
    public void onUpEvent(final LayerContext c, final UpEvent e) {
        if (!started && e instanceof ViewInstalled && c.self().incarnation() == 0) {
            started = true;
            c.schedule(100_000_000L, now -> ctx.up(new Exited("test", true)));
        }
        c.up(e);
    }
}
