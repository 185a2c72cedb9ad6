package io.cairn.testkit.faults;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link LossyLayer} as {@code lossy}. */
public final class LossyLayerFactory implements LayerFactory {
    @Override
    public String name() {
        return "lossy";
    }

    @Override
    public int canonicalPosition() {
        return 10;
    }

    @Override
    public Layer create() {
        return new LossyLayer();
    }
}
