package io.cairn.layers.stability;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link StabilityLayer} as {@code stability}. */
public final class StabilityFactory implements LayerFactory {
    @Override
    public String name() {
        return "stability";
    }

    @Override
    public int canonicalPosition() {
        return 400;
    }

    @Override
    public Layer create() {
        return new StabilityLayer();
    }
}
