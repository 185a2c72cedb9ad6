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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three member processes ({@code cairn member}) form a group over UDP multicast on lo, finding each other by their
 * multicast JOINs; one is killed mid-stream; the survivors install a view without it and the checker passes on the
 * merged traces (the killed process's trace was streamed to disk as it ran).
 */
class MultiProcessTest {
    private static final int PORT = 45680;

    private static Process member(final Path dir, final String name) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"),
            "-Dcairn.transport.udp.multicast-port=" + PORT, "io.cairn.cli.Main", "member", "--group", "mp",
            "--stack", "vsync", "--transport", "udp", "--name", name, "--members", "m0,m1,m2", "--casts", "3000",
            "--interval-us", "1000", "--wait-members", "3", "--linger-s", "6", "--quiet", "--trace",
            dir.resolve(name + ".ndjson").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile())
            .start();
    }

    private static long lines(final Path file, final String kind) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains(kind)).count() : 0;
        } catch (final IOException e) {
            return 0;
        }
    }

    private static boolean await(final BooleanSupplier c, final long seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void shouldSurviveAKilledMemberProcessWithACheckedMergedTrace(@TempDir final Path dir) throws Exception {
        final List<Process> ps = new ArrayList<>();
        try {
            for (final String n : List.of("m0", "m1", "m2")) {
                ps.add(member(dir, n));
            }
            final Path m0 = dir.resolve("m0.ndjson");
            assertThat(await(() -> lines(m0, "\"deliver\"") >= 1500, 60)).as("traffic flows between the processes")
                .isTrue();
            ps.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // After the process is gone: the crash follows its last event (X1 flags anything after a crash).
            final long killedAt = System.nanoTime();
            assertThat(ps.get(0).waitFor(120, TimeUnit.SECONDS) && ps.get(1).waitFor(120, TimeUnit.SECONDS))
                .as("survivors finish").isTrue();
            assertThat(ps.get(0).exitValue()).isZero();
            assertThat(ps.get(1).exitValue()).isZero();
            final List<Trace> traces = new ArrayList<>();
            for (final String n : List.of("m0", "m1", "m2")) {
                traces.add(Trace.read(dir.resolve(n + ".ndjson")));
            }
            // Under load m2 may have been excluded and rejoined as a new incarnation before the kill: the crash is
            // that of the incarnation it ran as last.
            final String killed = lastIncarnation(traces.get(2), "m2");
            final Trace crash = new Trace();
            crash.add(TraceEvent.simple(TraceEvent.Type.CRASH, killedAt, killed));
            traces.add(crash);
            final Trace merged = Trace.merge(traces);
            final Set<String> props = TraceChecker.propertiesFor(new StackAssembler().load("vsync",
                com.typesafe.config.ConfigFactory.empty()).provides()).stream().filter(p -> !p.equals("S1"))
                .collect(Collectors.toSet());
            final CheckReport report = new TraceChecker(props, Long.MAX_VALUE, false).check(merged.events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
            // A survivor falsely suspected at the cold start (three JVMs warming up on two cores) rejoins as its
            // next incarnation: the one it ran as last is the one that must have seen the crash.
            for (int i = 0; i < 2; i++) {
                final String survivor = lastIncarnation(traces.get(i), "m" + i);
                assertThat(merged.events()).as(survivor + " installed a view without the killed " + killed)
                    .anyMatch(e -> e.type() == TraceEvent.Type.INSTALL && e.p().equals(survivor)
                        && e.members().size() == 2 && !e.members().contains(killed));
            }
            assertThat(merged.events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER
                && e.src().startsWith("m2#") && !e.p().startsWith("m2#"))).as("the killed member's casts were delivered")
                .isNotEmpty();
        } finally {
            ps.forEach(Process::destroyForcibly);
        }
    }

    /** @return the last incarnation of member {@code name} that appears in its trace ({@code name#0} if none) */
    private static String lastIncarnation(final Trace trace, final String name) {
        return trace.events().stream().map(TraceEvent::p).filter(p -> p != null && p.startsWith(name + "#"))
            .reduce((a, b) -> b).orElse(name + "#0");
    }
}
