package io.cairn.layers.state;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link StateTransferLayer} as {@code state-transfer}. */
public final class StateTransferFactory implements LayerFactory {
    @Override
    public String name() {
        return "state-transfer";
    }

    @Override
    public int canonicalPosition() {
        return 800;
    }

    @Override
    public Layer create() {
        return new StateTransferLayer();
    }
}
