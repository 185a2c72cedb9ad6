package io.cairn.transport.tcp;

import com.typesafe.config.Config;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportFactory;

import java.util.Set;

/** Registers {@link TcpTransport} as {@code tcp}. */
public final class TcpTransportFactory implements TransportFactory {
    @Override
    public String name() {
        return TcpTransport.NAME;
    }

    @Override
    public Set<Property> provides() {
        return Set.of(Property.RELIABLE, Property.FIFO);
    }

    @Override
    public Transport create(final Config settings, final String nodeName) {
        return new TcpTransport(settings, nodeName);
    }
}
