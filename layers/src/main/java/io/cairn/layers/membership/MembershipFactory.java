package io.cairn.layers.membership;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link MembershipLayer} as {@code membership}. */
public final class MembershipFactory implements LayerFactory {
    @Override
    public String name() {
        return "membership";
    }

    @Override
    public int canonicalPosition() {
        return 700;
    }

    @Override
    public Layer create() {
        return new MembershipLayer();
    }
}
