package io.cairn.bench.stack;

import com.typesafe.config.ConfigFactory;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Idle latency: N members of a stack in this JVM (inproc or udp on 127.0.0.1), one cast at a time from member 0
 * after a pause long enough for every stack thread to park, timed until every member delivered it; then the CPU an
 * idle group uses. The benchmark thread waits by parking, so it does not keep a core busy itself.
 *
 * <pre>java -cp benchmarks.jar io.cairn.bench.stack.IdleLatency [stack] [members] [transport] [casts]</pre>
 */
public final class IdleLatency {
    private IdleLatency() {
    }

    /**
     * @param args stack (total), members (3), transport (inproc or udp), casts (2000)
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        final String stack = args.length > 0 ? args[0] : "total";
        final int members = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final String transport = args.length > 2 ? args[2] : "inproc";
        final int casts = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        final String network = "idle-" + System.nanoTime();
        final int port = 46000 + (int) (System.nanoTime() % 1000);
        // Over TCP each member listens on port + 1 + i and dials the members before it.
        try (StackGroups g = StackGroups.start(stack, members, 100, i -> ConfigFactory.parseMap(Map.of(
            "cairn.transport.inproc.network", network, "cairn.transport.udp.multicast-port", port,
            "cairn.transport.tcp.port", port + 1 + i, "cairn.transport.tcp.initial-members",
            java.util.stream.IntStream.range(0, i).mapToObj(j -> "127.0.0.1:" + (port + 1 + j)).toList())),
            ConfigFactory.parseMap(Map.of("cairn.stack.transport", transport)))) {
            final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < casts + 200; i++) {
                // 3 ms: past the longest park (max-park, 1 ms), so every stack thread is asleep when the cast comes.
                LockSupport.parkNanos(3_000_000L);
                final long t0 = System.nanoTime();
                g.cast();
                g.awaitAll(1);
                if (i >= 200) {
                    h.recordValue(System.nanoTime() - t0);
                }
            }
            final var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            final long cpu0 = os.getProcessCpuTime();
            final long wall0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            final double idleCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
            System.out.printf("idle latency %s N=%d %s: p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us (%d casts);"
                    + " idle CPU %.1f %% of a core for %d members%n", stack, members, transport,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount(), idleCpu, members);
        }
    }
}
