package io.cairn.layers.fifo;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link FifoLayer} as {@code fifo}. */
public final class FifoFactory implements LayerFactory {
    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public int canonicalPosition() {
        return 300;
    }

    @Override
    public Layer create() {
        return new FifoLayer();
    }
}
