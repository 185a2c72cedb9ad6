package io.cairn.transport.udp;

import com.typesafe.config.Config;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportFactory;

import java.util.Set;

/** Registers {@link UdpTransport} as {@code udp}. */
public final class UdpTransportFactory implements TransportFactory {
    @Override
    public String name() {
        return UdpTransport.NAME;
    }

    @Override
    public Set<Property> provides() {
        return Set.of();
    }

    @Override
    public Transport create(final Config settings, final String nodeName) {
        return new UdpTransport(settings, nodeName);
    }
}
