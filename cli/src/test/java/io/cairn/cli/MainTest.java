package io.cairn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path dir;

    private String capture(final boolean err, final Runnable r) {
        final PrintStream old = err ? System.err : System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (err) {
            System.setErr(new PrintStream(bytes, true));
        } else {
            System.setOut(new PrintStream(bytes, true));
        }
        try {
            r.run();
        } finally {
            if (err) {
                System.setErr(old);
            } else {
                System.setOut(old);
            }
        }
        return bytes.toString();
    }

    @Test
    void shouldRunDemoAndExitZero() {
        final int[] code = new int[1];
        final String out = capture(false, () -> code[0] = Main.run("demo"));
        assertThat(code[0]).isZero();
        assertThat(out).contains("view View[1:alice#0").contains("blocked: flushing the view");
        assertThat(out).contains("bob    #").contains("exited: left the group").contains("dave")
            .contains("== done").contains("carol says hello #2").contains("dave        received state: \"messages");
    }

    @Test
    void shouldShowTheToolkitSurvivingACrash() {
        final int[] code = new int[1];
        final String out = capture(false, () -> code[0] = Main.run("demo", "toolkit"));
        assertThat(code[0]).as(out).isZero();
        assertThat(out).contains("alice crashes while holding the lock").contains(": granted 'printer'")
            .contains("the map and the lock survived the crash");
    }

    @Test
    void shouldExitTwoWithThePreciseErrorWhenExplainingABrokenStack() throws Exception {
        final Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "cairn.stack { transport = inproc, layers = [no-such-layer] }");
        final int[] code = new int[1];
        final String err = capture(true, () -> code[0] = Main.run("stacks", "explain", broken.toString()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains(broken.toString()).contains("unknown layer 'no-such-layer'");
    }

    /**
     * Settings out of range or breaking a relation: {@code stacks explain} names the file and line, the full key,
     * the value and what is allowed, one condition per message (the layer reads its settings at assembly).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fifo.max-hold-back = 0 | [nak-reliability, fifo] | :4: cairn.stack.layer.fifo.max-hold-back = 0: must be from 1 to 16777216",
        "heartbeat { interval = 100ms, timeout = 150ms } | [nak-reliability, heartbeat] | :4: cairn.stack.layer.heartbeat.timeout = 150ms: must be at least twice interval (100ms)",
        "credit-flow.grant-threshold = 1.5 | [nak-reliability, fifo, credit-flow] | :4: cairn.stack.layer.credit-flow.grant-threshold = 1.5: must be from 0.001 to 1.0",
        "nak-reliability.store-chunk-size = 1K | [nak-reliability] | :4: cairn.stack.layer.nak-reliability.store-chunk-size = 1K: must be from 4K to 1G",
        "nak-reliability { nak-interval = 50ms, max-nak-interval = 10ms } | [nak-reliability] | :4: cairn.stack.layer.nak-reliability.max-nak-interval = 10ms: must be at least nak-interval (50ms)",
        "fifo.max-hold-back = 1000 | [nak-reliability, fifo] | :4: cairn.stack.layer.fifo.max-hold-back = 1000: must be at least the reliability window (cairn.stack.layer.nak-reliability.window = 65536)"
    })
    void shouldNameFileLineKeyValueAndRangeOfABadSetting(final String setting, final String layers,
                                                         final String expected) throws Exception {
        final Path file = dir.resolve("bad.conf");
        Files.writeString(file, "cairn.stack {\n  transport = inproc\n  layers = " + layers + "\n  layer."
            + setting + "\n}\n");
        final int[] code = new int[1];
        final String err = capture(true, () -> code[0] = Main.run("stacks", "explain", file.toString()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains(file + expected.strip());
    }

    @Test
    void shouldSimulateAShippedStackAndPrintZeroViolationsAsJson() {
        final int[] code = new int[1];
        final String out = capture(false, () -> code[0] = Main.run("simulate", "--stack", "reliable-fifo",
            "--members", "3", "--messages", "500", "--seed", "7", "--loss", "0.1", "--json"));
        assertThat(code[0]).as(out).isZero();
        assertThat(out).contains("\"violations\":0").contains("\"ok\":true").contains("\"checked\":[")
            .contains("\"traceHash\":\"");
    }

    @Test
    void shouldExitOneAndPrintTheReplayCommandWhenAStackBreaksItsPromise() throws Exception {
        final Path liar = dir.resolve("liar.conf");
        Files.writeString(liar, "cairn.stack { transport = inproc, layers = [io.cairn.cli.LiarLayer] }");
        final int[] code = new int[1];
        final String out = capture(false, () -> code[0] = Main.run("simulate", "--stack", liar.toString(),
            "--messages", "300", "--seed", "3", "--loss", "0.2"));
        assertThat(code[0]).isEqualTo(1);
        assertThat(out).contains("I4").contains("replay").contains("--seed 3");
    }

    @Test
    void shouldReportEachPrerequisiteWithAFixAndExitZeroOnJava17() {
        final int[] code = new int[1];
        final String out = capture(false, () -> code[0] = Main.run("doctor"));
        assertThat(code[0]).isZero();
        assertThat(out).contains("Java " + Runtime.version()).contains("IP multicast on the loopback interface")
            .contains("RDMA (provider disni)").contains("doctor:");
        if (out.contains("MISSING")) {
            assertThat(out).contains("fix: ");
        }
    }
}
