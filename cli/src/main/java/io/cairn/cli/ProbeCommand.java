package io.cairn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code cairn probe HOST:PORT}: asks a running member (started with {@code --jmx-port}, or any JVM serving JMX)
 * for its groups, views, health and counters.
 */
@Command(name = "probe", description = "Show a live member's groups, views, health and counters (over JMX).")
public final class ProbeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "HOST:PORT of the member's JMX endpoint (cairn member --jmx-port)")
    String endpoint;

    @Option(names = "--json", description = "one JSON object per group")
    boolean json;

    @Option(names = "--all", description = "show counters that are zero too")
    boolean all;

    @Option(names = "--check", description = "exit with 3 unless every group is ready and alive (a readiness or "
        + "liveness probe)")
    boolean check;

    @Override
    public Integer call() throws Exception {
        final int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            System.err.println("probe: expected HOST:PORT, got '" + endpoint + "'");
            return 2;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(Probe.url(endpoint.substring(0, colon),
            Integer.parseInt(endpoint.substring(colon + 1))))) {
            final MBeanServerConnection c = connector.getMBeanServerConnection();
            final java.util.Set<ObjectName> names = new java.util.TreeSet<>(c.queryNames(Probe.groups(), null));
            if (names.isEmpty()) {
                System.err.println("probe: " + endpoint + " runs no Cairn group");
                return 1;
            }
            final Map<ObjectName, Long> cycles = new TreeMap<>();
            for (final ObjectName n : names) {
                cycles.put(n, (Long) Probe.read(c, n, "stack.duty_cycles"));
            }
            // Alive: the stack thread ran duty cycles between two reads (an idle stack still cycles on its timers).
            Thread.sleep(200);
            boolean healthy = true;
            for (final ObjectName n : names) {
                healthy &= print(c, n, (Long) Probe.read(c, n, "stack.duty_cycles") > cycles.get(n));
            }
            return check && !healthy ? 3 : 0;
        }
    }

    /** @return whether the group is ready and alive */
    private boolean print(final MBeanServerConnection c, final ObjectName n, final boolean alive) throws Exception {
        final String group = ObjectName.unquote(n.getKeyProperty("group"));
        final String node = ObjectName.unquote(n.getKeyProperty("node"));
        final Map<String, Long> counters = new TreeMap<>();
        for (final MBeanAttributeInfo a : c.getMBeanInfo(n).getAttributes()) {
            if (a.getName().contains(".")) {
                final Long v = (Long) c.getAttribute(n, a.getName());
                if (all || v != 0) {
                    counters.put(a.getName(), v);
                }
            }
        }
        final String view = (String) c.getAttribute(n, "view");
        final boolean ready = (Boolean) c.getAttribute(n, "ready");
        final String stack = (String) c.getAttribute(n, "stack");
        if (json) {
            final StringBuilder b = new StringBuilder("{\"group\":").append(Json.str(group)).append(",\"node\":")
                .append(Json.str(node)).append(",\"stack\":").append(Json.str(stack)).append(",\"view\":")
                .append(Json.str(view)).append(",\"ready\":").append(ready).append(",\"alive\":").append(alive)
                .append(",\"counters\":{");
            boolean first = true;
            for (final Map.Entry<String, Long> e : counters.entrySet()) {
                b.append(first ? "" : ",").append(Json.str(e.getKey())).append(':').append(e.getValue());
                first = false;
            }
            System.out.println(b.append("}}"));
            return ready && alive;
        }
        System.out.println("group " + group + " on " + node + " (stack " + stack + ")");
        System.out.println("  view  " + (view.isEmpty() ? "(none)" : view));
        System.out.println("  ready " + ready + "  alive " + alive);
        counters.forEach((k, v) -> System.out.printf("  %-40s %,d%n", k, v));
        return ready && alive;
    }
}
