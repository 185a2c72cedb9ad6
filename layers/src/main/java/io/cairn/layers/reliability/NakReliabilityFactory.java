package io.cairn.layers.reliability;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link NakReliabilityLayer} as {@code nak-reliability}. */
public final class NakReliabilityFactory implements LayerFactory {
    @Override
    public String name() {
        return "nak-reliability";
    }

    @Override
    public int canonicalPosition() {
        return 200;
    }

    @Override
    public Layer create() {
        return new NakReliabilityLayer();
    }
}
