package io.cairn.bench.stack;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Whole-stack throughput over the in-process transport: N members in one JVM, each on its own stack thread
 * (DEDICATED); the benchmark thread casts batches through member 0 and an operation completes when every member
 * delivered it. Score = messages per second delivered to all members. Run with {@code -prof gc} for B/op (all
 * threads included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StackThroughputBenchmark {
    private static final int BATCH = 1000;

    @Param({"reliable-fifo"})
    String stack;

    @Param({"3"})
    int members;

    @Param({"100", "1024"})
    int size;

    private final List<Node> nodes = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private AtomicLong[] delivered;
    private UnsafeBuffer payload;
    private long expected;

    @Setup(Level.Trial)
    public void setUp() {
        final String network = "bench-" + System.nanoTime();
        final String names = IntStream.range(0, members).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
        final Config overrides = ConfigFactory.parseString("cairn.stack.members = [" + names + "]");
        delivered = new AtomicLong[members];
        for (int i = 0; i < members; i++) {
            final AtomicLong counter = new AtomicLong();
            delivered[i] = counter;
            final Config cfg = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", network))
                .withFallback(ConfigFactory.load());
            final Node n = Node.builder().name("m" + i).config(cfg).build();
            nodes.add(n);
            groups.add(n.join("bench", stack, overrides, new GroupListener() {
                @Override
                public void onDeliver(final Delivery d) {
                    counter.lazySet(counter.get() + 1);
                }
            }));
        }
        payload = new UnsafeBuffer(new byte[size]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nodes.forEach(Node::close);
    }

    /** Casts a batch from member 0 and waits until every member delivered it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long castBatchDeliveredEverywhere() {
        final Group g = groups.get(0);
        for (int i = 0; i < BATCH; i++) {
            while (!g.tryCast(payload, 0, size)) {
                Thread.onSpinWait();
            }
        }
        expected += BATCH;
        for (final AtomicLong d : delivered) {
            while (d.get() < expected) {
                Thread.yield();
            }
        }
        return expected;
    }
}
