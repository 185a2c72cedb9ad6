package io.cairn.layers.safe;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link SafeLayer} as {@code safe}. */
public final class SafeFactory implements LayerFactory {
    @Override
    public String name() {
        return "safe";
    }

    @Override
    public int canonicalPosition() {
        return 720;
    }

    @Override
    public Layer create() {
        return new SafeLayer();
    }
}
