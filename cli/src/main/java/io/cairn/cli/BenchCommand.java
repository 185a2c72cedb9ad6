package io.cairn.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.stack.config.StackAssembler;
import io.cairn.api.MemberId;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import io.cairn.testkit.trace.TraceRecorder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code cairn bench}: a real-time run of N members in this JVM over a real transport, every member casting;
 * reports per-member deliveries per second, MB/s, one-way latency percentiles (send to delivery, same clock) and
 * the trace checker's verdict on the whole run. E1 (no layer throws) is reported even with {@code --no-check}:
 * the {@code stack.handler_errors} counters of every member, summed; any error fails the run.
 */
@Command(name = "bench", description = "Real-time throughput and latency of a stack, all members casting, with "
    + "the checker's verdict.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--stack", required = true, description = "shipped stack name or .conf file")
    String stack;

    @Option(names = "--members", defaultValue = "3", description = "members (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--size", defaultValue = "1024", description = "payload bytes, at least 16 (default "
        + "${DEFAULT-VALUE})")
    int size;

    @Option(names = "--messages", defaultValue = "100000", description = "casts in total, shared by the members "
        + "(default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--transport", description = "inproc, udp, tcp or rdma (default: the stack's)")
    String transport;

    @Option(names = "--json", description = "one JSON object on one line")
    boolean json;

    @Option(names = "--no-check", description = "skip recording the trace and checking it")
    boolean noCheck;

    @Option(names = "--one-at-a-time", description = "latency mode: only the first member casts, one message at a "
        + "time, each delivered everywhere before the next")
    boolean oneAtATime;

    @Option(names = "--rate", defaultValue = "0", description = "open loop: casts per second per member on a fixed "
        + "schedule, latency measured from each cast's scheduled time (corrected for coordinated omission); 0 = "
        + "closed loop, as fast as the stack accepts (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--warmup-ms", defaultValue = "0", description = "casts sent in the first milliseconds are "
        + "counted but their latency is not recorded (JIT warm-up; default ${DEFAULT-VALUE})")
    long warmupMs;

    @Option(names = "--counters", description = "print every member's non-zero counters and gauges, and its "
        + "transport's (stderr)")
    boolean counters;

    /** Casts sent (or scheduled) before this time are left out of the latency histograms. */
    private volatile long recordFrom = Long.MIN_VALUE / 2;

    @Override
    public Integer call() throws Exception {
        if (size < 16 || members < 1 || messages < members || rate < 0 || rate > 0 && oneAtATime) {
            System.err.println("bench: --size >= 16, --members >= 1, --messages >= --members, --rate >= 0 and not "
                + "with --one-at-a-time");
            return 2;
        }
        final StackAssembler assembler = new StackAssembler();
        final var spec0 = assembler.load(stack, ConfigFactory.empty());
        final String tr = transport != null ? transport : spec0.transport();
        final String names = IntStream.range(0, members).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
        final Config overrides = ConfigFactory.parseString("cairn.stack { members = [" + names + "], transport = "
            + tr + " }");
        final var spec = assembler.load(stack, overrides);
        final Trace trace = new Trace();
        final List<Node> nodes = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        final List<TraceRecorder> recorders = new ArrayList<>();
        final AtomicLong[] delivered = new AtomicLong[members];
        final Histogram[] latency = new Histogram[members];
        final List<String> seeds = new ArrayList<>();
        final String group = "bench-" + System.nanoTime();
        try {
            for (int i = 0; i < members; i++) {
                final AtomicLong count = new AtomicLong();
                final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                delivered[i] = count;
                latency[i] = h;
                final Map<String, Object> cfg = new HashMap<>();
                cfg.put("cairn.transport.inproc.network", group);
                cfg.put("cairn.transport.tcp.initial-members", List.copyOf(seeds));
                // RDMA (provider soft or shm here): every member's address is known up front.
                cfg.put("cairn.transport.rdma.address", group + "-m" + i);
                cfg.put("cairn.transport.rdma.initial-members", IntStream.range(0, members)
                    .mapToObj(k -> group + "-m" + k).toList());
                final Node node = Node.builder().name("m" + i).config(ConfigFactory.parseMap(cfg)
                    .withFallback(ConfigFactory.load())).build();
                nodes.add(node);
                final GroupListener counting = new GroupListener() {
                    @Override
                    public void onDeliver(final Delivery d) {
                        final long sent = d.buffer().getLong(d.offset() + 8, ByteOrder.LITTLE_ENDIAN);
                        if (sent - recordFrom >= 0) {
                            h.recordValue(Math.max(0, System.nanoTime() - sent));
                        }
                        count.lazySet(count.get() + 1);
                    }
                };
                final TraceRecorder r = new TraceRecorder(noCheck ? new Trace() : trace, spec.provides(), counting)
                    .self(new MemberId("m" + i, 0));
                recorders.add(r);
                final Group g = node.join(group, stack, overrides, noCheck ? counting : r);
                // An incarnation that exits (and rejoins with a new stack) has its handler errors recorded then.
                r.bind(g);
                groups.add(g);
                if (tr.equals("tcp")) {
                    final InetSocketAddress a = ((io.cairn.transport.tcp.TcpTransport) node.transport("tcp"))
                        .localAddress();
                    seeds.add(a.getHostString() + ":" + a.getPort());
                }
            }
            if (!await(() -> groups.stream().allMatch(g -> g.view() != null && g.view().size() == members), 20)) {
                System.err.println("bench: the group did not form within 20 s");
                return 1;
            }
            final int senderCount = oneAtATime ? 1 : members;
            final int each = messages / senderCount;
            final long cpu0 = processCpuNanos();
            final long t0 = System.nanoTime();
            recordFrom = t0 + TimeUnit.MILLISECONDS.toNanos(warmupMs);
            final long period = rate > 0 ? (long) (1e9 / rate) : 0;
            final List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < senderCount; i++) {
                final int k = i;
                final Thread t = new Thread(() -> {
                    final byte[] payload = new byte[size];
                    final ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    final Duration wait = Duration.ofSeconds(60);
                    for (int j = 0; j < each; j++) {
                        b.putLong(8, period > 0 ? OpenLoop.awaitSlot(t0, period, j) : System.nanoTime());
                        if (noCheck) {
                            groups.get(k).cast(payload, wait);
                        } else {
                            recorders.get(k).cast(groups.get(k), payload, wait);
                        }
                        if (oneAtATime) {
                            final long want = j + 1L;
                            for (final AtomicLong d : delivered) {
                                while (d.get() < want) {
                                    Thread.onSpinWait();
                                }
                            }
                        }
                    }
                }, "bench-sender-" + i);
                senders.add(t);
                t.start();
            }
            final long expected = (long) each * senderCount;
            final boolean done = await(() -> {
                for (final AtomicLong d : delivered) {
                    if (d.get() < expected) {
                        return false;
                    }
                }
                return true;
            }, 600);
            final double seconds = (System.nanoTime() - t0) / 1e9;
            final long cpu = processCpuNanos() - cpu0;
            if (counters) {
                for (int i = 0; i < groups.size(); i++) {
                    final Group g = groups.get(i);
                    System.err.println("counters of " + g.self() + ":");
                    final Map<String, Long> all = new java.util.TreeMap<>(g.stats());
                    nodes.get(i).transport(tr).stats().forEach((k, v) -> all.put(tr + "." + k, v));
                    all.forEach((k, v) -> {
                        if (v != 0) {
                            System.err.println("  " + k + " " + v);
                        }
                    });
                }
            }
            for (final Thread t : senders) {
                t.join(1000);
            }
            final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            for (final Histogram h : latency) {
                all.add(h);
            }
            final double perMember = expected / seconds;
            for (int i = 0; i < members; i++) {
                recorders.get(i).recordHandlerErrors(groups.get(i));
            }
            final long handlerErrors = noCheck ? groups.stream().mapToLong(g -> g.stats()
                .getOrDefault("stack.handler_errors", 0L)).sum() : handlerErrors(trace);
            final CheckReport report = noCheck ? null : new TraceChecker(TraceChecker.propertiesFor(spec.provides())
                .stream().filter(p -> !Set.of("I4", "M5", "S1", "L1").contains(p) || done)
                .collect(Collectors.toSet()), Long.MAX_VALUE, false).check(trace.events());
            // CPU of the whole process (every member) over every delivery at every member.
            final double cpuPerDelivery = cpu / 1e3 / Math.max(1, expected * members);
            print(tr, seconds, perMember, all, report, done, handlerErrors, cpuPerDelivery);
            return done && handlerErrors == 0 && (report == null || report.ok()) ? 0 : 1;
        } finally {
            nodes.forEach(Node::close);
        }
    }

    /** @return the handler errors of every process in the trace (each one's largest gauge sample), summed */
    private static long handlerErrors(final Trace trace) {
        final Map<String, Long> perProcess = new HashMap<>();
        trace.events().stream().filter(e -> e.type() == TraceEvent.Type.GAUGE
            && TraceEvent.HANDLER_ERRORS.equals(e.name())).forEach(e -> perProcess.merge(e.p(), e.value(), Math::max));
        return perProcess.values().stream().mapToLong(Long::longValue).sum();
    }

    private void print(final String tr, final double seconds, final double perMember, final Histogram h,
                       final CheckReport report, final boolean done, final long handlerErrors,
                       final double cpuPerDelivery) {
        final double mb = perMember * size / 1e6;
        final String verdict = report == null ? "not checked" : report.ok() ? "no violation"
            : report.violations().size() + " violation(s): " + report.violations().get(0);
        if (json) {
            System.out.printf(java.util.Locale.ROOT, "{\"stack\":%s,\"transport\":%s,\"members\":%d,\"size\":%d,"
                    + "\"messages\":%d,\"completed\":%b,\"seconds\":%.3f,\"deliveries_per_member_per_sec\":%.0f,"
                    + "\"mb_per_sec_per_member\":%.2f,\"offered_per_member_per_sec\":%.0f,\"cpu_us_per_delivery\":%.2f,"
                    + "\"latency_us\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f},"
                    + "\"checked\":%s,\"violations\":%d,\"handler_errors\":%d}%n", Json.str(stack), Json.str(tr),
                members, size, messages, done, seconds, perMember, mb, rate, cpuPerDelivery, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, report == null ? "[]" : Json.list(List.copyOf(
                    new java.util.TreeSet<>(report.checked()))), report == null ? 0 : report.violations().size(),
                handlerErrors);
        } else {
            System.out.printf(java.util.Locale.ROOT, "stack       %s over %s, %d members, %d casts of %d B%n", stack,
                tr, members, messages, size);
            System.out.printf(java.util.Locale.ROOT, "throughput  %,.0f deliveries/s per member, %.1f MB/s%s%n",
                perMember, mb, done ? "" : " (INCOMPLETE: not everything was delivered)");
            System.out.printf(java.util.Locale.ROOT, "latency     p50 %.1f us, p99 %.1f us, p99.9 %.1f us (%s)%n",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, rate > 0 ? String.format(java.util.Locale.ROOT,
                    "open loop at %,.0f casts/s per member, from the scheduled send time", rate)
                    : oneAtATime ? "one at a time" : "send to delivery, closed loop");
            System.out.printf(java.util.Locale.ROOT, "cpu         %.2f us of process CPU per delivery%n",
                cpuPerDelivery);
            System.out.println("checker     " + verdict);
            System.out.println("E1          " + (handlerErrors == 0 ? "no layer threw"
                : handlerErrors + " handler error(s): a layer threw (VIOLATION)"));
        }
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static boolean await(final java.util.function.BooleanSupplier c, final long seconds)
        throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
