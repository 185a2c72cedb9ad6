package io.cairn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cairn probe} against a running {@code cairn member} in another process: its group, view, health (ready,
 * alive) and counters, as text and as JSON.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeTest {
    private static final int JMX_PORT = 45711;

    @Test
    void probeShowsALiveMembersViewAndCounters() throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process member = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "-Dcairn.transport.udp.multicast-port=45712", "io.cairn.cli.Main", "member", "--group", "probed",
            "--stack", "vsync", "--transport", "udp", "--name", "solo", "--members", "solo", "--jmx-port",
            String.valueOf(JMX_PORT)).redirectErrorStream(true).start();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(member.getInputStream(),
                StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (final java.io.IOException e) {
                lines.add("reader: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines.stream().noneMatch(l -> l.startsWith("view ")) && member.isAlive()
                && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(lines).as("the member formed its view").anyMatch(l -> l.startsWith("view "));
            final String text = run("probe", "127.0.0.1:" + JMX_PORT);
            assertThat(text).contains("group probed on solo#0 (stack stacks/vsync.conf)").contains("view  View[1:solo#0")
                .contains("ready true  alive true").contains("heartbeat.").contains("stack.duty_cycles");
            final String json = run("probe", "127.0.0.1:" + JMX_PORT, "--json");
            assertThat(json).startsWith("{\"group\":\"probed\",\"node\":\"solo#0\"")
                .contains("\"ready\":true,\"alive\":true,\"counters\":{");
            run("probe", "127.0.0.1:" + JMX_PORT, "--check"); // exit 0: ready and alive
        } finally {
            member.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String run(final String... args) {
        final PrintStream old = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
