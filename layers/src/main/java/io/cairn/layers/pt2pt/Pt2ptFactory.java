package io.cairn.layers.pt2pt;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link Pt2ptLayer} as {@code pt2pt}. */
public final class Pt2ptFactory implements LayerFactory {
    @Override
    public String name() {
        return "pt2pt";
    }

    @Override
    public int canonicalPosition() {
        return 250;
    }

    @Override
    public Layer create() {
        return new Pt2ptLayer();
    }
}
