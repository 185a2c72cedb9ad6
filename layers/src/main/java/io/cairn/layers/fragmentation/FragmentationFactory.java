package io.cairn.layers.fragmentation;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link FragmentationLayer} as {@code fragmentation}. */
public final class FragmentationFactory implements LayerFactory {
    @Override
    public String name() {
        return "fragmentation";
    }

    @Override
    public int canonicalPosition() {
        return 100;
    }

    @Override
    public Layer create() {
        return new FragmentationLayer();
    }
}
