package io.cairn.testkit.sim;

import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.ClockChange;
import io.cairn.testkit.sim.FaultSchedule.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultScriptTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static final String EXAMPLE = """
        # frames m0 -> m1 delayed 1.5 s from 50 ms to 2 s
        50ms  link 0>1 delay=1500ms
        2s    link 0>1 clear
        1.2s  leave 0
        3s    crash 2
        3.5s  restart 2
        4s    partition 0,1 | 2,3,4
        6s    heal
        0s    loopback 3 loss=0.5 delay=2ms   # own copies
        0s    clock 4 offset=288s rate=1.1
        0s    slow-consumer 1 1MB/s
        0s    no-rejoin 2
        5s    reset 0-1

        0s    links loss=10% dup=0.05 reorder=0.2 reorder-delay=3ms jitter=50us burst=0.75
        7s    pause 3
        7.25s resume 3
        8s    link 2-3 loss=1
        9s    clock 4 jump=-2s
        9s    reset 3-4 down=300ms
        10s   partition 0 | 1 | 2
        """;

    @Test
    void shouldParseEveryKindOfTheDocumentedFormat() {
        final List<Action> a = FaultScript.parse("example.faults", EXAMPLE, 5).actions();
        assertThat(a).containsExactly(
            Action.loopback(0, 3, LinkConditions.NONE.withLoss(0.5).withDelay(2 * MS, 0)),
            Action.clock(0, 4, ClockChange.offset(288 * S).withRate(1.1)),
            Action.slowConsumer(0, 1, 1_000_000),
            Action.on(0, Kind.NO_REJOIN, 2),
            Action.links(0, LinkConditions.CLEAN.withBurstLoss(0.1, 0.75).withDuplicate(0.05).withReorder(0.2, 3 * MS)
                .withDelay(LinkConditions.CLEAN.delayNs(), 50_000)),
            Action.link(50 * MS, 0, 1, LinkConditions.delayed(1500 * MS)),
            Action.on(1200 * MS, Kind.LEAVE, 0),
            Action.link(2 * S, 0, 1, null),
            Action.on(3 * S, Kind.CRASH, 2),
            Action.on(3500 * MS, Kind.RESTART, 2),
            Action.partition(4 * S, List.of(List.of(0, 1), List.of(2, 3, 4))),
            Action.reset(5 * S, 0, 1, FaultScript.DEFAULT_RESET_DOWN_NS),
            Action.heal(6 * S),
            Action.on(7 * S, Kind.PAUSE, 3),
            Action.on(7250 * MS, Kind.RESUME, 3),
            Action.link(8 * S, 2, 3, LinkConditions.lossy(1)),
            Action.link(8 * S, 3, 2, LinkConditions.lossy(1)),
            Action.clock(9 * S, 4, ClockChange.jump(-2 * S)),
            Action.reset(9 * S, 3, 4, 300 * MS),
            Action.partition(10 * S, List.of(List.of(0), List.of(1), List.of(2))));
        assertThat(a.get(10).sides()).containsExactly(List.of(0, 1), List.of(2, 3, 4));
    }

    @Test
    void shouldWriteTheScriptOfAScheduleBackAsTheSameSchedule() {
        final FaultSchedule parsed = FaultScript.parse("example.faults", EXAMPLE, 5);
        assertThat(FaultScript.parse("again", parsed.toScript(), 5)).isEqualTo(parsed);
        assertThat(parsed.actions().get(5).toString()).isEqualTo("50ms link 0>1 delay=1.5s");
        for (long seed = 1; seed <= 30; seed++) {
            for (final String row : java.util.stream.Stream.concat(FaultRows.IDS.stream(), FaultRows.ATTACKS.stream())
                .toList()) {
                final FaultSchedule s = FaultRows.row(row, seed, 5, 3 * S);
                assertThat(FaultScript.parse(row, s.toScript(), 5)).as(row + " seed " + seed + ":\n" + s.toScript())
                    .isEqualTo(s);
            }
            final FaultSchedule old = FaultSchedule.random(seed, 3, 2 * S, 2, 1, 2);
            assertThat(FaultScript.parse("random", old.toScript(), 3)).isEqualTo(old);
        }
    }

    @Test
    void shouldParseDurationsAndRatesWithHoconUnits() {
        assertThat(FaultScript.parseDuration("250us")).isEqualTo(250_000);
        assertThat(FaultScript.parseDuration("1.5s")).isEqualTo(1500 * MS);
        assertThat(FaultScript.parseDuration("2m")).isEqualTo(120 * S);
        assertThat(FaultScript.parseDuration("-288s")).isEqualTo(-288 * S);
        assertThat(FaultScript.parseDuration("0")).isZero();
        assertThat(FaultScript.rate("1MB/s")).isEqualTo(1_000_000);
        assertThat(FaultScript.rate("1MiB/s")).isEqualTo(1 << 20);
        assertThat(FaultScript.rate("100KB/s")).isEqualTo(100_000);
        assertThat(FaultScript.rate("64K")).isEqualTo(65_536);
        assertThat(FaultScript.rate("20000")).isEqualTo(20_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "50ms lnk 0>1 delay=1s; unknown kind 'lnk'; use one of links, link",
        "fast link 0>1 delay=1s; time fast; write a duration with a unit",
        "50 link 0>1 delay=1s; time 50: no unit; write a duration with a unit",
        "-1s crash 1; time '-1s' is negative; 0s or later",
        "50ms link 0>1 dely=1500ms; unknown key 'dely' for link; link takes loss=, dup=",
        "50ms link 0>1 delay=fast; delay=fast; write a duration with a unit",
        "50ms link 0>1; link needs conditions; or 'clear' to restore",
        "50ms link 0>0 loss=1; connects a member to itself; use 'loopback 0",
        "50ms link 0=>1 loss=1; '0=>1' is not a link; write A>B",
        "50ms link 0>1 loss=1.5; loss=1.5 is not a probability; loss is in [0, 1]",
        "3s crash 7; member 7 does not exist in a group of 5; numbered from 0 to 4",
        "3s crash; crash needs a member; write e.g. '3s crash 2'",
        "3s crash two; 'two' is not a member index; numbered from 0 to 4",
        "4s partition 0,1 | 1,2; member 1 is on two sides; at most once",
        "4s partition; partition needs its sides; partition 0,1 | 2,3,4",
        "5s reset 0>1; reset needs a link A-B; reset 0-1 down=300ms",
        "5s reset 0-1 down=-1s; down=-1s is negative; 0s or longer",
        "0s clock 4; clock needs offset=, jump= or rate=; clock 4 offset=288s rate=1.1",
        "0s clock 4 rate=0; rate=0 is out of range; (0, 1000]",
        "0s clock 4 speed=2; unknown key 'speed' for clock; clock takes offset=, jump=, rate=",
        "0s slow-consumer 1 fast; 'fast' is not a rate; slow-consumer 1 1MB/s",
        "0s slow-consumer 1; slow-consumer needs a member and one rate; slow-consumer 1 1MB/s",
        "6s heal 1; unexpected '1' after heal; takes no argument",
        "6s; a line needs a time and a kind; '3s crash 2'"})
    void shouldNameTheFileTheLineTheTextAndTheFixOfABadLine(final String line, final String problem,
                                                           final String fix) {
        final String script = "# a comment\n0s links loss=0.1\n\n" + line + "\n7s heal\n";
        assertThatThrownBy(() -> FaultScript.parse("bad.faults", script, 5))
            .isInstanceOfSatisfying(FaultScriptException.class, e -> {
                assertThat(e.source()).isEqualTo("bad.faults");
                assertThat(e.line()).isEqualTo(4);
                assertThat(e.text()).isEqualTo(line);
                assertThat(e.problem()).contains(problem);
                assertThat(e.fix()).contains(fix);
                assertThat(e.getMessage()).startsWith("bad.faults:4: ").contains("\n  " + line + "\n")
                    .contains("\n  fix: ");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s crash 9", "0s link 0>9 loss=1"})
    void shouldAcceptAnyMemberIndexWhenTheGroupSizeIsUnknown(final String line) {
        assertThat(FaultScript.parse("x", line, 0).actions()).isNotEmpty();
    }
}
