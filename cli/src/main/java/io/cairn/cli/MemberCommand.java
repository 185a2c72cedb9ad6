package io.cairn.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code cairn member}: one real member process. Lines read from stdin are cast; deliveries and views are printed.
 * Several of these form a group across processes or machines (UDP multicast finds the others; over TCP, or where
 * multicast does not reach, list their addresses with {@code --initial-members}).
 */
@Command(name = "member", description = "Run one member of a group: stdin lines are cast, deliveries and views "
    + "are printed.")
public final class MemberCommand implements Callable<Integer> {
    /** How long the member waits for its graceful leave at the end before closing its node. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--group", required = true, description = "group name")
    String group;

    @Option(names = "--stack", defaultValue = "vsync", description = "shipped stack or .conf file (default "
        + "${DEFAULT-VALUE})")
    String stack;

    @Option(names = "--name", description = "this member's name (default: the host name and process id)")
    String name;

    @Option(names = "--members", split = ",", description = "the group's configured members, first = founder")
    List<String> members;

    @Option(names = "--transport", defaultValue = "udp", description = "udp, tcp, rdma or inproc (default "
        + "${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--initial-members", split = ",", description = "host:port of peers (tcp; udp unicast mode), "
        + "or addresses of peers (rdma)")
    List<String> initialMembers;

    @Option(names = "--port", defaultValue = "0", description = "this member's unicast/listen port (default any)")
    int port;

    @Option(names = "--casts", defaultValue = "0", description = "cast this many generated messages instead of "
        + "reading stdin")
    int casts;

    @Option(names = "--interval-us", defaultValue = "1000", description = "between generated casts (default "
        + "${DEFAULT-VALUE})")
    long intervalUs;

    @Option(names = "--wait-members", defaultValue = "1", description = "wait for a view this large before "
        + "casting (default ${DEFAULT-VALUE})")
    int waitMembers;

    @Option(names = "--linger-s", defaultValue = "3", description = "seconds to stay after the last cast "
        + "(default ${DEFAULT-VALUE})")
    int lingerSeconds;

    @Option(names = "--trace", description = "stream this member's trace (NDJSON) to this file")
    Path trace;

    @Option(names = "--jmx-port", defaultValue = "0", description = "serve JMX (the groups' counters, views, health) "
        + "on 127.0.0.1 at this port, for cairn probe (default off)")
    int jmxPort;

    @Option(names = "--quiet", description = "do not print deliveries")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        final String me = name != null ? name : java.net.InetAddress.getLocalHost().getHostName() + "-"
            + ProcessHandle.current().pid();
        final Map<String, Object> cfg = new HashMap<>();
        cfg.put("cairn.transport." + transport + ".port", port);
        if (initialMembers != null) {
            cfg.put("cairn.transport." + transport + ".initial-members", initialMembers);
        }
        final Config node = ConfigFactory.parseMap(cfg).withFallback(ConfigFactory.load());
        final Config overrides = ConfigFactory.parseString("cairn.stack.transport = " + transport
            + (members == null ? "" : "\ncairn.stack.members = [" + String.join(",", members) + "]"));
        final Trace t = new Trace();
        if (trace != null) {
            t.streamTo(trace);
        }
        final javax.management.remote.JMXConnectorServer jmx = jmxPort > 0 ? Probe.serve(jmxPort) : null;
        try (Node n = Node.builder().name(me).config(node).build()) {
            final var spec = n.assembler().load(stack, overrides);
            final TraceRecorder recorder = new TraceRecorder(t, spec.provides(), printer())
                .self(new MemberId(me, 0));
            final Group g = n.join(group, stack, overrides, recorder);
            recorder.bind(g);
            System.out.println("member " + me + " joining " + group + " (stack " + stack + " over " + transport
                + ", " + n.transport(transport).getClass().getSimpleName() + ")");
            if (casts > 0) {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((g.view() == null || g.view().size() < waitMembers) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(1_000_000);
                }
                final byte[] payload = new byte[64];
                for (int i = 0; i < casts && !g.hasExited(); i++) {
                    recorder.cast(g, payload, Duration.ofSeconds(10));
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(intervalUs));
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(lingerSeconds));
            } else {
                final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    final byte[] text = line.getBytes(StandardCharsets.UTF_8);
                    final byte[] payload = new byte[8 + text.length];
                    System.arraycopy(text, 0, payload, 8, text.length);
                    recorder.cast(g, payload, Duration.ofSeconds(10));
                }
            }
            recorder.recordHandlerErrors(g);
            if (!g.hasExited()) {
                recorder.leaveRequested();
            }
            // Closing the node at once would stop the stack before the flush that takes this member out.
            if (!g.leave(LEAVE_TIMEOUT)) {
                System.err.println("member " + me + ": still leaving after " + LEAVE_TIMEOUT.toSeconds()
                    + " s; closing anyway");
            }
        } finally {
            if (jmx != null) {
                jmx.stop();
            }
        }
        return 0;
    }

    private GroupListener printer() {
        return new GroupListener() {
            @Override
            public void onDeliver(final Delivery d) {
                if (!quiet) {
                    final byte[] b = new byte[Math.max(0, d.length() - 8)];
                    d.buffer().getBytes(d.offset() + 8, b);
                    System.out.println("deliver " + d.sender() + ": " + new String(b, StandardCharsets.UTF_8).trim());
                }
            }

            @Override
            public void onView(final View view, final long eventNo) {
                System.out.println("view " + view.id() + " " + view.members());
            }
        };
    }
}
