package io.cairn.cli;

import io.cairn.testkit.sim.FaultScript;
import io.cairn.testkit.sim.SimNetwork;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cairn simulate --faults / --seeds / --fault-row / --slow-consumer} through picocli. */
class SimulateCommandTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one command. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(final String... args) {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            final int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path liar() throws Exception {
        final Path liar = dir.resolve("liar.conf");
        Files.writeString(liar, "cairn.stack { transport = inproc, layers = [io.cairn.cli.LiarLayer] }");
        return liar;
    }

    @Test
    void shouldRunAFaultScriptFileAndReportItsFaults() throws Exception {
        final Path script = dir.resolve("faults.txt");
        Files.writeString(script, """
            # m2's own copies lost half of the time while m0 -> m1 is slow
            0s     loopback 2 loss=0.5 delay=1ms
            50ms   link 0>1 delay=40ms loss=20%
            150ms  link 0>1 clear
            200ms  loopback 2 clear
            """);
        final Run r = run("simulate", "--stack", "reliable-fifo", "--members", "3", "--messages", "500", "--seed",
            "4", "--faults", script.toString(), "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"faults\":\"[0s loopback 2 loss=0.5 delay=1ms; 50ms link 0>1 loss=0.2 "
            + "delay=40ms; 150ms link 0>1 clear; 200ms loopback 2 clear]\"").contains("\"ok\":true");
    }

    @Test
    void shouldFindAShippedFaultScriptByName() {
        final Run r = run("simulate", "--stack", "reliable-fifo", "--members", "3", "--messages", "300",
            "--faults", "one-way-slow-link", "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("50ms link 0>1 delay=1.5s; 2s link 0>1 clear");
    }

    @Test
    void shouldExitTwoNamingTheFileLineTextAndFixOfABadScriptWithoutAStackTrace() throws Exception {
        final Path script = dir.resolve("slow.faults");
        Files.writeString(script, "# comment\n50ms link 0>1 delay=1500ms\n2s   link 0>1 dely=0s\n");
        final Run r = run("simulate", "--stack", "reliable-fifo", "--members", "3", "--faults", script.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(script + ":3: unknown key 'dely' for link").contains("2s   link 0>1 dely=0s")
            .contains("fix: link takes loss=").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();

        Files.writeString(script, "3s crash 5\n");
        final Run outOfRange = run("simulate", "--stack", "reliable-fifo", "--members", "3", "--faults",
            script.toString());
        assertThat(outOfRange.code()).isEqualTo(2);
        assertThat(outOfRange.err()).contains(script + ":1: member 5 does not exist in a group of 3")
            .contains("numbered from 0 to 2");
    }

    @Test
    void shouldExitTwoOnBadOptionsWithTheFix() {
        assertThat(run("simulate", "--stack", "reliable-fifo", "--faults", dir.resolve("none").toString()).err())
            .contains("no such file").contains("shipped: one-way-slow-link");
        final Run range = run("simulate", "--stack", "reliable-fifo", "--seeds", "9..3");
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.err()).contains("--seeds 9..3: expected a range A..B with A <= B");
        assertThat(run("simulate", "--stack", "reliable-fifo", "--seeds", "1..2", "--seed", "3").err())
            .contains("not both");
        assertThat(run("simulate", "--stack", "reliable-fifo", "--slow-consumer", "1-1MB").err())
            .contains("expected INDEX:RATE");
        assertThat(run("simulate", "--stack", "reliable-fifo", "--fault-row", "F99").err())
            .contains("use one of F11, F20");
        assertThat(run("simulate", "--stack", "reliable-fifo", "--settle", "10").code()).isEqualTo(2);
        assertThat(run("simulate", "--stack", "no-such-stack").err()).contains("unknown stack 'no-such-stack'");
    }

    @Test
    void shouldPrintOnlyFailuresAndASummaryWithTheFirstFailingSeedsReplayForASeedRange() throws Exception {
        final Path liar = liar();
        final Path script = dir.resolve("lossy.faults");
        Files.writeString(script, "0s links loss=0.2\n");
        final Run r = run("simulate", "--stack", liar.toString(), "--messages", "300", "--faults", script.toString(),
            "--seeds", "11..13");
        assertThat(r.code()).isEqualTo(1);
        final String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("seed 11  ").contains("violation(s) of").contains("I4");
        assertThat(lines[3]).startsWith("seeds 11..13: 3 runs, 3 failed, ").contains("failing seeds: 11 12 13")
            .endsWith("replay the first: ./cairn simulate --stack " + liar + " --members 3 --messages 300 --faults "
                + script + " --seed 11");

        final Run json = run("simulate", "--stack", liar.toString(), "--messages", "300", "--faults",
            script.toString(), "--seeds", "11..12", "--json");
        assertThat(json.out().strip().split("\n")).hasSize(3);
        assertThat(json.out()).contains("\"seed\":11,").contains("\"replay\":\"./cairn simulate")
            .contains("{\"seeds\":\"11..12\",\"runs\":2,\"failed\":2,").contains("\"failingSeeds\":[11,12]");

        final Run replay = run("simulate", "--stack", liar.toString(), "--messages", "300", "--faults",
            script.toString(), "--seed", "12", "--json");
        assertThat(json.out().strip().split("\n")[1]).isEqualTo(replay.out().strip());
    }

    @Test
    void shouldPrintJustTheSummaryWhenEverySeedPasses() {
        final Run r = run("simulate", "--stack", "reliable-fifo", "--messages", "300", "--loss", "0.1",
            "--seeds", "1..3");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out().strip()).isEqualTo("seeds 1..3: 3 runs, 0 failed, 0 violation(s)");
    }

    @Test
    void shouldAddASeededFaultRowASlowConsumerAndNoRejoin() {
        final Run r = run("simulate", "--stack", "reliable-fifo", "--messages", "600", "--seed", "2",
            "--fault-row", "F22", "--slow-consumer", "1:200KB/s", "--no-rejoin", "2", "--blocking-casts", "--json");
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        assertThat(r.out()).contains("loopback");
        final Run again = run("simulate", "--stack", "reliable-fifo", "--messages", "600", "--seed", "2",
            "--fault-row", "F22", "--slow-consumer", "1:200KB/s", "--no-rejoin", "2", "--blocking-casts", "--json");
        assertThat(again.out()).isEqualTo(r.out());
    }

    /** F23 over TCP: a reset loses frames in flight, and relay asks the origin for the gap (no transport event). */
    @Test
    void shouldMakeRelayFillTheGapsAConnectionResetLeaves() {
        final String script = """
            0s      links delay=5ms
            1s      reset 0-1 down=100ms
            1.3s    reset 1-2 down=50ms
            """;
        final Simulator.Options o = Simulator.options().stack("total-tcp").members(3).messages(3000).seed(5)
            .check(Set.of("I1", "I2", "F1")).faults(FaultScript.parse("resets", script, 3));
        final SimulationResult a = o.run();
        assertThat(a.network().dropped(SimNetwork.Drop.RESET)).isPositive();
        assertThat(a.network().dropped(SimNetwork.Drop.LOSS)).as("tcp never loses otherwise").isZero();
        assertThat(a.sumCounter("relay.gaps")).isPositive();
        assertThat(a.sumCounter("relay.requests")).isPositive();
        assertThat(a.sumCounter("relay.relayed")).isPositive();
        assertThat(a.report().violated()).as(a.describe()).doesNotContain("I1", "I2");
        assertThat(o.run().trace().hash()).isEqualTo(a.trace().hash());
    }
}
