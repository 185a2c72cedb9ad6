package io.cairn.layers.total;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;

/** Registers {@link SequencerTotalLayer} as {@code sequencer-total}. */
public final class SequencerTotalFactory implements LayerFactory {
    @Override
    public String name() {
        return "sequencer-total";
    }

    @Override
    public int canonicalPosition() {
        return 750;
    }

    @Override
    public Layer create() {
        return new SequencerTotalLayer();
    }
}
