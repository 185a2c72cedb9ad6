package io.cairn.cli;

import org.junit.jupiter.api.Test;
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
    void shouldExitTwoWithThePreciseErrorWhenExplainingABrokenStack() throws Exception {
        final Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "cairn.stack { transport = inproc, layers = [no-such-layer] }");
        final int[] code = new int[1];
        final String err = capture(true, () -> code[0] = Main.run("stacks", "explain", broken.toString()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains(broken.toString()).contains("unknown layer 'no-such-layer'");
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
