package io.cairn.testkit.sim;

import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;

import java.util.function.Consumer;

/**
 * Test-only pass-through layer the simulator puts directly below a layer that provides {@code safe}: what reaches
 * it has been received by this member (CORRECTNESS.md {@code recv}, needed for U2), whether or not it is delivered.
 */
final class RecvProbe implements Layer {
    private final Consumer<Message> sink;

    RecvProbe(final Consumer<Message> sink) {
        this.sink = sink;
    }

    @Override
    public void onDeliver(final LayerContext ctx, final Message msg) {
        if (!msg.isUnicast()) {
            sink.accept(msg);
        }
        ctx.deliver(msg);
    }
}
