package io.cairn.cli;

import io.cairn.stack.config.StackAssembler;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three member processes exchange 100,002 casts through the RDMA transport over the shm verbs provider (each
 * process's registered memory is a file the others map), with the shipped total-rdma stack (no
 * nak-reliability); the checker passes on the merged traces.
 */
class ShmMultiProcessTest {
    private static final int EACH = 33_334;

    private static Process member(final Path dir, final String name) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> cmd = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            "-Dcairn.transport.rdma.provider=shm", "-Dcairn.transport.rdma.shm-directory=" + dir.resolve("shm"),
            "io.cairn.cli.Main", "member", "--group", "shm", "--stack", "total-rdma", "--transport", "rdma",
            "--name", name, "--members", "m0,m1,m2", "--initial-members", "m0,m1,m2", "--casts",
            String.valueOf(EACH), "--interval-us", "0", "--wait-members", "3", "--linger-s", "10", "--quiet",
            "--trace", dir.resolve(name + ".ndjson").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile())
            .start();
    }

    @Test
    void shouldExchange100kCastsBetweenThreeProcessesOverSharedMemoryVerbs(@TempDir final Path dir)
        throws Exception {
        final List<Process> ps = new ArrayList<>();
        try {
            for (final String n : List.of("m0", "m1", "m2")) {
                ps.add(member(dir, n));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(ps.get(i).waitFor(150, TimeUnit.SECONDS)).as("m" + i + " finished: "
                    + Files.readString(dir.resolve("m" + i + ".out"))).isTrue();
                assertThat(ps.get(i).exitValue()).as(Files.readString(dir.resolve("m" + i + ".out"))).isZero();
            }
            final List<Trace> traces = new ArrayList<>();
            for (final String n : List.of("m0", "m1", "m2")) {
                traces.add(Trace.read(dir.resolve(n + ".ndjson")));
            }
            final Trace merged = Trace.merge(traces);
            for (final String m : List.of("m0#0", "m1#0", "m2#0")) {
                assertThat(merged.events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER
                    && e.p().equals(m)).count()).as(m + " delivered every cast").isEqualTo(3L * EACH);
            }
            final CheckReport report = new TraceChecker(TraceChecker.propertiesFor(new StackAssembler()
                .load("total-rdma", com.typesafe.config.ConfigFactory.empty()).provides()), Long.MAX_VALUE, false)
                .check(merged.events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
            try (var files = Files.list(dir.resolve("shm"))) {
                assertThat(files.toList()).as("each process removed its device file").isEmpty();
            }
        } finally {
            ps.forEach(Process::destroyForcibly);
        }
    }
}
