package io.cairn.transport.rdma;

import com.typesafe.config.Config;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportFactory;

import java.util.Set;

/** Registers {@link RdmaTransport} as {@code rdma}. */
public final class RdmaTransportFactory implements TransportFactory {
    @Override
    public String name() {
        return RdmaTransport.NAME;
    }

    @Override
    public Set<Property> provides() {
        return Set.of(Property.RELIABLE, Property.FIFO);
    }

    @Override
    public Transport create(final Config settings, final String nodeName) {
        return new RdmaTransport(settings, nodeName);
    }
}
