package io.cairn.stack.spi;

import com.typesafe.config.Config;

import java.util.Set;

/** Registers a transport under a name (found with {@link java.util.ServiceLoader}). */
public interface TransportFactory {
    /** @return the name used in stack files ({@code transport = udp}) */
    String name();

    /** @return what the transport guarantees point-to-point, known before it is created */
    Set<Property> provides();

    /**
     * Creates the node's instance.
     *
     * @param settings the {@code cairn.transport.<name>} section of the node's config
     * @param nodeName the node's name, for logs and thread names
     * @return the transport
     */
    Transport create(Config settings, String nodeName);
}
