package io.cairn.cli;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.rmi.registry.LocateRegistry;
import java.util.HashMap;

/** The admin endpoint {@code cairn probe} talks to: standard JMX over RMI, on loopback. */
final class Probe {
    private Probe() {
    }

    /**
     * @param port registry and connector port on 127.0.0.1
     * @return the running connector (stop it to close the endpoint)
     * @throws IOException when the port is taken
     */
    static JMXConnectorServer serve(final int port) throws IOException {
        // The RMI stub must name the address the server listens on, not whatever the host name resolves to.
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        LocateRegistry.createRegistry(port);
        final JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url("127.0.0.1", port),
            new HashMap<>(), ManagementFactory.getPlatformMBeanServer());
        server.start();
        return server;
    }

    static JMXServiceURL url(final String host, final int port) throws IOException {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi");
    }

    static ObjectName groups() {
        try {
            return new ObjectName("io.cairn:type=Group,*");
        } catch (final javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object read(final MBeanServerConnection c, final ObjectName n, final String attribute) throws Exception {
        return c.getAttribute(n, attribute);
    }
}
