package io.cairn.layers.flow;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link CreditFlowLayer} as {@code credit-flow}. */
public final class CreditFlowFactory implements LayerFactory {
    @Override
    public String name() {
        return "credit-flow";
    }

    @Override
    public int canonicalPosition() {
        return 900;
    }

    @Override
    public Layer create() {
        return new CreditFlowLayer();
    }
}
