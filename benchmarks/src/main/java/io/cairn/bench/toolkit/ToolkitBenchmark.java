package io.cairn.bench.toolkit;

import io.cairn.api.Node;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Codec;
import io.cairn.toolkit.Scheduler;
import io.cairn.toolkit.request.Replies;
import io.cairn.toolkit.request.Requests;
import io.cairn.toolkit.rsm.ReplicatedMap;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Toolkit throughput, N = 3 in one JVM over the in-process transport ({@code total}): requests with the first
 * reply and with every reply, and replicated-map writes. Each invocation issues a window of operations from member 0
 * and waits for all of them, so the figure is operations per second with that many in flight.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ToolkitBenchmark {
    private static final int WINDOW = 64;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final List<Node> nodes = new ArrayList<>();
    private final List<Requests> requests = new ArrayList<>();
    private final List<ReplicatedMap<String, String>> maps = new ArrayList<>();
    private final byte[] payload = new byte[100];
    private long key;

    @Setup(Level.Trial)
    public void setUp() {
        final String network = "toolkit-bench-" + System.nanoTime();
        final Config join = ConfigFactory.parseString("cairn.stack.members = [m0, m1, m2]");
        for (int i = 0; i < 3; i++) {
            final Node n = Node.builder().name("m" + i).config(ConfigFactory.parseMap(Map.of(
                "cairn.transport.inproc.network", network))).build();
            nodes.add(n);
            final Requests r = new Requests(Scheduler.shared(), (from, req) -> req);
            n.join("requests", "total", join, r);
            requests.add(r);
            final ReplicatedMap<String, String> m = new ReplicatedMap<>(Scheduler.shared(), Codec.utf8(),
                Codec.utf8());
            n.join("map", "total", join, m.block());
            maps.add(m);
        }
        for (int i = 0; i < 3; i++) {
            awaitFull(requests.get(i));
            awaitFull(maps.get(i).block());
        }
    }

    private static void awaitFull(final Block b) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.view() == null || b.view().size() < 3) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the group did not form: " + b.view());
            }
            Thread.onSpinWait();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nodes.forEach(Node::close);
    }

    /** Requests answered by the first reply (the requester's own, usually). */
    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public void requestFirst() {
        window(() -> requests.get(0).request(payload, Replies.first(), TIMEOUT));
    }

    /** Requests waiting for all three replies. */
    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public void requestAll() {
        window(() -> requests.get(0).request(payload, Replies.all(), TIMEOUT));
    }

    /** Map writes, each complete once applied at its writer in the total order. */
    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public void mapPut() {
        window(() -> maps.get(0).put("k" + (key++ & 1023), "v"));
    }

    private static void window(final java.util.function.Supplier<CompletableFuture<?>> op) {
        final CompletableFuture<?>[] fs = new CompletableFuture<?>[WINDOW];
        for (int i = 0; i < WINDOW; i++) {
            fs[i] = op.get();
        }
        CompletableFuture.allOf(fs).join();
    }
}
