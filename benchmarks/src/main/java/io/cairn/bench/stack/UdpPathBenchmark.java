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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cast → wire → deliver path over real UDP sockets on loopback: N members in one JVM, member 0 casts batches,
 * an operation completes when every member delivered it. Run with {@code -prof gc}: B/op is what the whole path
 * (every member's stack, transport threads and the benchmark) allocates per delivered-everywhere message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.net.preferIPv4Stack=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpPathBenchmark {
    private static final int BATCH = 1000;

    @Param({"vsync", "total"})
    String stack;

    @Param({"3"})
    int members;

    @Param({"100", "1024"})
    int size;

    private StackGroups groups;

    @Setup(Level.Trial)
    public void setUp() {
        // Each trial on its own multicast port, so a run beside another Cairn process does not mix groups.
        final int port = 46000 + (int) (System.nanoTime() % 1000);
        groups = StackGroups.start(stack, members, size, i -> ConfigFactory.parseMap(Map.of(
            "cairn.transport.udp.multicast-port", port)), ConfigFactory.parseString("cairn.stack.transport = udp"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        groups.close();
    }

    /** Casts a batch from member 0 and waits until every member delivered it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long castBatchDeliveredEverywhere() {
        for (int i = 0; i < BATCH; i++) {
            groups.cast();
        }
        return groups.awaitAll(BATCH);
    }
}
