package io.cairn.cli;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.Property;

import java.util.Set;

/** Claims reliability without providing it, so the checker has something to catch. */
public final class LiarLayer implements Layer {
    @Override
    public Set<Property> provides() {
        return Set.of(Property.RELIABLE);
    }
}
