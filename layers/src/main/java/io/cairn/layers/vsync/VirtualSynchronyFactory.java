package io.cairn.layers.vsync;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link VirtualSynchronyLayer} as {@code virtual-synchrony}. */
public final class VirtualSynchronyFactory implements LayerFactory {
    @Override
    public String name() {
        return "virtual-synchrony";
    }

    @Override
    public int canonicalPosition() {
        return 600;
    }

    @Override
    public Layer create() {
        return new VirtualSynchronyLayer();
    }
}
