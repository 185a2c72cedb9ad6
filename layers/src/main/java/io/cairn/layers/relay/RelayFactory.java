package io.cairn.layers.relay;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link RelayLayer} as {@code relay}. */
public final class RelayFactory implements LayerFactory {
    @Override
    public String name() {
        return "relay";
    }

    @Override
    public int canonicalPosition() {
        // After nak-reliability: property synthesis picks nak-reliability for recovery over lossy transports.
        return 210;
    }

    @Override
    public Layer create() {
        return new RelayLayer();
    }
}
