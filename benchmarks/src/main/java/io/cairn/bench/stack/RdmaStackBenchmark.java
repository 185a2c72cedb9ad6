package io.cairn.bench.stack;

import com.typesafe.config.ConfigFactory;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The RDMA transport under a whole stack: N members in one JVM over the {@code soft} (in-JVM) or {@code shm}
 * (memory-mapped files) verbs provider, with the shipped {@code total-rdma} stack (no nak-reliability). Each node
 * runs a stack thread and the transport's polling thread. Throughput: batches cast through member 0, complete
 * when every member delivered them (msgs/s). Latency: one cast at a time until every member delivered it.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RdmaStackBenchmark {
    private static final int BATCH = 1000;

    @Param({"soft", "shm"})
    String provider;

    @Param({"total-rdma"})
    String stack;

    @Param({"3"})
    int members;

    @Param({"100", "1024"})
    int size;

    private StackGroups groups;

    @Setup(Level.Trial)
    public void setUp() {
        final String prefix = "jmh-" + provider + "-" + System.nanoTime() + "-m";
        final List<String> addresses = IntStream.range(0, members).mapToObj(i -> prefix + i).toList();
        groups = StackGroups.start(stack, members, size, i -> ConfigFactory.parseMap(Map.of(
            "cairn.transport.rdma.provider", provider,
            "cairn.transport.rdma.address", addresses.get(i),
            "cairn.transport.rdma.initial-members", addresses)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        groups.close();
    }

    /** Casts a batch from member 0 and waits until every member delivered it. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long throughput() {
        for (int i = 0; i < BATCH; i++) {
            groups.cast();
        }
        return groups.awaitAll(BATCH);
    }

    /** One cast, delivered everywhere. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long latency() {
        groups.cast();
        return groups.awaitAll(1);
    }
}
