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
 * Whole-stack throughput over the in-process transport (or real UDP sockets on loopback with
 * {@code -p transport=udp}): N members in one JVM, each on its own stack thread (DEDICATED); the benchmark thread
 * casts batches through member 0 and an operation completes when every member delivered it. Score = messages per
 * second delivered to all members. Run with {@code -prof gc} for B/op (all threads included): over UDP that is the
 * whole cast → wire → deliver path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.net.preferIPv4Stack=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StackThroughputBenchmark {
    private static final int BATCH = 1000;

    @Param({"reliable-fifo", "total", "total-symmetric", "safe-total", "secure-total"})
    String stack;

    @Param({"3", "5"})
    int members;

    @Param({"100", "1024"})
    int size;

    @Param({"inproc"})
    String transport;

    private StackGroups groups;

    @Setup(Level.Trial)
    public void setUp() {
        if (transport.equals("inproc")) {
            groups = StackGroups.start(stack, members, size);
        } else {
            // Each trial on its own multicast port, so a run beside another Cairn process does not mix groups.
            final int port = 46000 + (int) (System.nanoTime() % 1000);
            groups = StackGroups.start(stack, members, size, i -> ConfigFactory.parseMap(Map.of(
                "cairn.transport.udp.multicast-port", port)), ConfigFactory.parseString("cairn.stack.transport = "
                + transport));
        }
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
