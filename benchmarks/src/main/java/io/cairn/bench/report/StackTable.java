package io.cairn.bench.report;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs a short JMH profile of stack compositions (throughput and latency per stack, N and payload) and writes a
 * Markdown table with the machine described. {@code scripts/bench-stacks.sh} runs it; the README links the output.
 *
 * <p>Arguments: output file, then optional {@code stacks=a,b}, {@code members=3,5}, {@code sizes=100,1024},
 * {@code iterations=3}, {@code seconds=1}.
 */
public final class StackTable {
    private StackTable() {
    }

    /**
     * @param args output file and optional key=value settings
     * @throws RunnerException when JMH fails
     * @throws IOException     when the table cannot be written
     */
    public static void main(final String[] args) throws RunnerException, IOException {
        if (args.length < 1) {
            System.err.println("usage: StackTable <output.md> [stacks=..] [members=..] [sizes=..] [iterations=N] "
                + "[seconds=S]");
            System.exit(2);
        }
        final Map<String, String> s = new TreeMap<>(Map.of("stacks", "reliable-fifo,vsync,causal,total,"
            + "total-symmetric,safe-total", "members", "3", "sizes", "100,1024", "iterations", "3", "seconds", "1"));
        for (int i = 1; i < args.length; i++) {
            final int eq = args[i].indexOf('=');
            s.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        final int iterations = Integer.parseInt(s.get("iterations"));
        final TimeValue time = TimeValue.seconds(Integer.parseInt(s.get("seconds")));
        final Options opts = new OptionsBuilder()
            .include("io.cairn.bench.stack.Stack(Throughput|Latency)Benchmark")
            .param("stack", s.get("stacks").split(","))
            .param("members", s.get("members").split(","))
            .param("size", s.get("sizes").split(","))
            .warmupIterations(1).warmupTime(time).measurementIterations(iterations).measurementTime(time)
            .forks(1).build();
        final Collection<RunResult> results = new Runner(opts).run();
        final String command = "scripts/bench-stacks.sh " + String.join(" ", List.of(args).subList(1, args.length));
        Files.writeString(Path.of(args[0]), render(results, s, command));
        System.out.println("wrote " + args[0]);
    }

    private static String render(final Collection<RunResult> results, final Map<String, String> s,
                                 final String command) {
        final Map<String, double[]> rows = new TreeMap<>();
        for (final RunResult r : results) {
            final var p = r.getParams();
            final String key = String.format("%s|%s|%05d", p.getParam("stack"), p.getParam("members"),
                Integer.parseInt(p.getParam("size")));
            final double[] row = rows.computeIfAbsent(key, k -> new double[5]);
            final var primary = r.getPrimaryResult();
            if (p.getBenchmark().endsWith("castBatchDeliveredEverywhere")) {
                row[0] = primary.getScore();
                row[1] = primary.getScoreError();
            } else {
                final var stats = primary.getStatistics();
                row[2] = stats.getPercentile(50);
                row[3] = stats.getPercentile(99);
                row[4] = stats.getPercentile(99.9);
            }
        }
        final StringBuilder b = new StringBuilder();
        b.append("# Stack compositions — JMH, ").append(LocalDate.now()).append("\n\n")
            .append("Machine: ").append(machine()).append(".\n\n")
            .append("In-process transport, N members in one JVM, each stack on its own thread. Throughput: ")
            .append("`StackThroughputBenchmark` (batches of 1,000 casts from member 0, complete when every member ")
            .append("delivered them). Latency: `StackLatencyBenchmark` (one cast at a time until every member ")
            .append("delivered it). Short profile: 1 warm-up and ").append(s.get("iterations")).append(" measured ")
            .append("iterations of ").append(s.get("seconds")).append(" s, one fork; the ± (99.9 %) intervals are ")
            .append("wide on a small machine.\n\nCommand: `").append(command.trim()).append("`\n\n")
            .append("| stack | N | payload | msgs/s to all | ± | latency p50 µs | p99 µs | p99.9 µs |\n")
            .append("|---|---|---|---|---|---|---|---|\n");
        for (final Map.Entry<String, double[]> e : rows.entrySet()) {
            final String[] k = e.getKey().split("\\|");
            final double[] r = e.getValue();
            b.append(String.format("| %s | %s | %d B | %,.0f | %,.0f | %.0f | %.0f | %.0f |%n", k[0], k[1],
                Integer.parseInt(k[2]), r[0], r[1], r[2], r[3], r[4]));
        }
        return b.toString();
    }

    private static String machine() {
        String cpu = System.getProperty("os.arch");
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse(cpu);
        } catch (final IOException | RuntimeException e) {
            // not Linux: the architecture will do
        }
        final List<String> parts = new ArrayList<>();
        parts.add(Runtime.getRuntime().availableProcessors() + " cores (" + cpu + ")");
        parts.add((Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap");
        parts.add(System.getProperty("os.name") + " " + System.getProperty("os.version"));
        parts.add(System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return String.join(", ", parts);
    }
}
