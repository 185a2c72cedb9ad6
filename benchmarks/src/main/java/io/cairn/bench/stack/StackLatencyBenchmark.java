package io.cairn.bench.stack;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Whole-stack latency over the in-process transport: one cast at a time from member 0, timed until every member
 * delivered it (the slowest member decides). SampleTime mode gives the percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StackLatencyBenchmark {
    @Param({"reliable-fifo", "total", "total-symmetric", "safe-total"})
    String stack;

    @Param({"3", "5"})
    int members;

    @Param({"100", "1024"})
    int size;

    private StackGroups groups;

    @Setup(Level.Trial)
    public void setUp() {
        groups = StackGroups.start(stack, members, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        groups.close();
    }

    /** One cast, delivered everywhere. */
    @Benchmark
    public long castDeliveredEverywhere() {
        groups.cast();
        return groups.awaitAll(1);
    }
}
