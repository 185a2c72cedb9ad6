package io.cairn.cli;

import io.cairn.stack.config.StackAssembler;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.TraceChecker;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three member processes in their own network namespaces (10.77.0.1-3 on veth pairs joined by a bridge), over
 * TCP. Taking m2's link down partitions the group for real: the majority installs a view without m2; bringing it
 * up again lets m2 rejoin. The merged traces are checked. Root only; run with {@code mvn -Pnetns -pl cli verify
 * -Dtest=NetnsPartitionTest}. The test creates the namespaces and bridge and removes them.
 */
@Tag("netns")
class NetnsPartitionTest {
    private static final String BRIDGE = "cnbr0";
    private static final int N = 3;

    private static void ip(final String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }

    private static void quietly(final String... args) {
        try {
            ip(args);
        } catch (final IOException | InterruptedException ignored) {
            // cleanup of what may not exist
        }
    }

    @BeforeEach
    void createHosts() throws Exception {
        assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
            .trim()), "needs root to create network namespaces");
        removeHosts();
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("link", "set", BRIDGE, "up");
        for (int i = 0; i < N; i++) {
            ip("netns", "add", "cn" + i);
            ip("link", "add", "cnh" + i, "type", "veth", "peer", "name", "cnn" + i);
            ip("link", "set", "cnn" + i, "netns", "cn" + i);
            ip("link", "set", "cnh" + i, "master", BRIDGE, "up");
            ip("-n", "cn" + i, "addr", "add", "10.77.0." + (i + 1) + "/24", "dev", "cnn" + i);
            ip("-n", "cn" + i, "link", "set", "cnn" + i, "up");
            ip("-n", "cn" + i, "link", "set", "lo", "up");
        }
    }

    @AfterEach
    void removeHosts() {
        for (int i = 0; i < N; i++) {
            quietly("netns", "del", "cn" + i);
            quietly("link", "del", "cnh" + i);
        }
        quietly("link", "del", BRIDGE);
    }

    private static Process member(final Path dir, final int i) throws IOException {
        final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String peers = java.util.stream.IntStream.range(0, i).mapToObj(k -> "10.77.0." + (k + 1) + ":7800")
            .collect(Collectors.joining(","));
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "cn" + i, javaBin, "-Xmx512m", "-cp",
            System.getProperty("java.class.path"), "-Dcairn.transport.tcp.bind-address=10.77.0." + (i + 1),
            "io.cairn.cli.Main", "member", "--group", "ns", "--stack", "vsync", "--transport", "tcp", "--port",
            "7800", "--name", "m" + i, "--members", "m0,m1,m2", "--casts", "4000", "--interval-us", "2000",
            "--wait-members", "3", "--linger-s", "12", "--quiet", "--trace", dir.resolve("m" + i + ".ndjson")
                .toString()));
        if (!peers.isEmpty()) {
            cmd.add("--initial-members");
            cmd.add(peers);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("m" + i + ".out")
            .toFile()).start();
    }

    private static List<TraceEvent> installs(final Path file) {
        try {
            return Files.exists(file) ? Trace.read(file).events().stream()
                .filter(e -> e.type() == TraceEvent.Type.INSTALL).toList() : List.of();
        } catch (final IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static boolean await(final java.util.function.BooleanSupplier c, final long seconds)
        throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Test
    void shouldPartitionForRealWhenALinkGoesDownAndRejoinWhenItComesBack(@TempDir final Path tmp)
        throws Exception {
        final Path dir = Path.of(System.getProperty("netns.dir", tmp.toString()));
        Files.createDirectories(dir);
        final List<Process> ps = new ArrayList<>();
        try {
            for (int i = 0; i < N; i++) {
                ps.add(member(dir, i));
            }
            final Path m0 = dir.resolve("m0.ndjson");
            assertThat(await(() -> installs(m0).stream().anyMatch(e -> e.members().size() == 3), 60))
                .as("the three namespaces formed one view").isTrue();
            Thread.sleep(1000);
            ip("link", "set", "cnh2", "down");
            assertThat(await(() -> installs(m0).stream().anyMatch(e -> e.members().size() == 2
                && !e.members().contains("m2#0")), 30)).as("the majority installed a view without m2").isTrue();
            final int viewsBeforeHeal = installs(m0).size();
            ip("link", "set", "cnh2", "up");
            assertThat(await(() -> installs(m0).stream().skip(viewsBeforeHeal).anyMatch(e -> e.members().size() == 3),
                60)).as(() -> "m2 rejoined after the link came back; m0 views " + installs(m0).stream()
                .map(TraceEvent::members).toList() + "; m2 views " + installs(dir.resolve("m2.ndjson")).stream()
                .map(e -> e.p() + " " + e.members()).toList()).isTrue();
            for (final Process p : ps) {
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            }
            final List<Trace> traces = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                traces.add(Trace.read(dir.resolve("m" + i + ".ndjson")));
            }
            final Set<String> props = TraceChecker.propertiesFor(new StackAssembler().load("vsync",
                com.typesafe.config.ConfigFactory.empty()).provides()).stream().filter(p -> !p.equals("S1"))
                .collect(Collectors.toSet());
            final CheckReport report = new TraceChecker(props, Long.MAX_VALUE, false)
                .check(Trace.merge(traces).events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        } finally {
            ps.forEach(Process::destroyForcibly);
        }
    }
}
