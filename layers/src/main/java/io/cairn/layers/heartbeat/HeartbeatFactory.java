package io.cairn.layers.heartbeat;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link HeartbeatLayer} as {@code heartbeat}. */
public final class HeartbeatFactory implements LayerFactory {
    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public int canonicalPosition() {
        return 500;
    }

    @Override
    public Layer create() {
        return new HeartbeatLayer();
    }
}
