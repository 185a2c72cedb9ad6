package io.cairn.layers.symmetric;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link SymmetricTotalLayer} as {@code symmetric-total}. */
public final class SymmetricTotalFactory implements LayerFactory {
    @Override
    public String name() {
        return "symmetric-total";
    }

    @Override
    public int canonicalPosition() {
        return 760;
    }

    @Override
    public Layer create() {
        return new SymmetricTotalLayer();
    }
}
