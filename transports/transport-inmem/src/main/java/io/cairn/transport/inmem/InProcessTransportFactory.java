package io.cairn.transport.inmem;

import com.typesafe.config.Config;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportFactory;

import java.util.Set;

/** Registers the {@code inproc} transport. */
public final class InProcessTransportFactory implements TransportFactory {
    @Override
    public String name() {
        return InProcessTransport.NAME;
    }

    @Override
    public Set<Property> provides() {
        return Set.of();
    }

    @Override
    public Transport create(final Config settings, final String nodeName) {
        return new InProcessTransport(settings);
    }
}
