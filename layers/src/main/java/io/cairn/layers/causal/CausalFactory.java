package io.cairn.layers.causal;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link CausalLayer} as {@code causal}. */
public final class CausalFactory implements LayerFactory {
    @Override
    public String name() {
        return "causal";
    }

    @Override
    public int canonicalPosition() {
        return 740;
    }

    @Override
    public Layer create() {
        return new CausalLayer();
    }
}
