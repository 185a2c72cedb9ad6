package io.cairn.testkit.sim;

import io.cairn.stack.spi.Property;
import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.Kind;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultGeneratorTest {
    private static final long S = 1_000_000_000L;
    private static final long FD = FaultGenerator.DEFAULT_FD_TIMEOUT_NS;

    static List<String> rows() {
        return java.util.stream.Stream.concat(FaultRows.IDS.stream(), FaultRows.ATTACKS.stream()).toList();
    }

    @ParameterizedTest
    @MethodSource("rows")
    void shouldGiveTheSameScheduleForTheSameSeedAndAnotherForAnother(final String row) {
        assertThat(FaultRows.row(row, 42, 5, 3 * S)).isEqualTo(FaultRows.row(row, 42, 5, 3 * S));
        final long distinct = java.util.stream.LongStream.rangeClosed(1, 10)
            .mapToObj(seed -> FaultRows.row(row, seed, 5, 3 * S)).distinct().count();
        assertThat(distinct).isGreaterThan(5);
    }

    @Test
    void shouldProduceEachRowsFaultKind() {
        for (long seed = 1; seed <= 50; seed++) {
            assertThat(kinds(FaultRows.f11(seed, 5, 3 * S))).containsOnly(Kind.CLOCK);
            assertThat(FaultRows.f11(seed, 5, 3 * S).actions()).filteredOn(a -> a.atNs() == 0).hasSize(5);
            assertThat(FaultRows.f20(seed, 5, 3 * S).actions()).isNotEmpty().allMatch(a -> a.kind() == Kind.LINK
                && (a.links() == null || a.links().delayNs() > FD && a.links().loss() == 0));
            assertThat(FaultRows.f21(seed, 5, 3 * S).actions()).isNotEmpty().allMatch(a -> a.kind() == Kind.LINK
                && (a.links() == null || a.links().loss() >= 0.5 && a.links().loss() <= 1));
            assertThat(kinds(FaultRows.f22(seed, 5, 3 * S))).containsOnly(Kind.LOOPBACK);
            assertThat(kinds(FaultRows.f23(seed, 5, 3 * S))).containsOnly(Kind.RESET);
            assertThat(kinds(FaultRows.f24(seed, 5, 3 * S))).containsOnly(Kind.LEAVE);
            assertThat(kinds(FaultRows.f17(seed, 5, 3 * S))).contains(Kind.FORGE).doesNotContain(Kind.REPLAY);
            assertThat(kinds(FaultRows.f18(seed, 5, 3 * S))).contains(Kind.REPLAY).doesNotContain(Kind.FORGE);
            assertThat(FaultRows.f17(seed, 5, 3 * S).actions()).filteredOn(a -> a.kind() == Kind.FORGE)
                .hasSizeBetween(5, 10).allMatch(a -> a.amount() >= 10 && a.amount() <= 50);
            assertThat(kinds(FaultRows.f25(seed, 5, 3 * S))).contains(Kind.SLOW_CONSUMER, Kind.CRASH, Kind.RESTART);
            assertThat(kinds(FaultRows.mixed(seed, 5, 3 * S))).contains(Kind.PARTITION, Kind.HEAL, Kind.LINK,
                Kind.LOOPBACK, Kind.CLOCK, Kind.RESET, Kind.CRASH, Kind.RESTART);
        }
        assertThat(java.util.stream.LongStream.rangeClosed(1, 50).filter(seed -> kinds(FaultRows.f25(seed, 5, 3 * S))
            .contains(Kind.LEAVE))).as("a leave fits beside the crashes (never more than a minority down)")
            .hasSizeGreaterThan(45);
        assertThatThrownBy(() -> FaultRows.row("F99", 1, 5, S)).hasMessageContaining("unknown fault row 'F99'")
            .hasMessageContaining("F20");
    }

    @Test
    void shouldMixPartitionsShorterAndLongerThanTheFailureDetectorTimeout() {
        final List<Long> lengths = new ArrayList<>();
        for (long seed = 1; seed <= 40; seed++) {
            final List<Action> a = FaultGenerator.of(seed, 5, 5 * S).partitions(3).generate().actions();
            long start = -1;
            for (final Action x : a) {
                if (x.kind() == Kind.PARTITION) {
                    assertThat(start).as("partitions do not overlap").isEqualTo(-1);
                    start = x.atNs();
                    assertThat(x.sides().stream().mapToInt(List::size).sum()).isBetween(1, 4);
                } else if (x.kind() == Kind.HEAL) {
                    lengths.add(x.atNs() - start);
                    start = -1;
                }
            }
        }
        assertThat(lengths).hasSize(120).anyMatch(l -> l < FD / 2).anyMatch(l -> l > FD * 3 / 2)
            .allMatch(l -> l < FD || l > FD);
    }

    @Test
    void shouldLetAnyMemberLeaveIncludingTheCoordinator() {
        final Map<Integer, Integer> leavers = new HashMap<>();
        for (long seed = 1; seed <= 60; seed++) {
            FaultRows.f24(seed, 5, 3 * S).actions().forEach(a -> leavers.merge(a.members().get(0), 1, Integer::sum));
        }
        assertThat(leavers.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(leavers.get(0)).isGreaterThan(15);
    }

    @Test
    void shouldNeverTakeDownMoreThanAMinorityAtOnce() {
        for (final int n : List.of(1, 2, 3, 4, 5, 7, 9)) {
            for (long seed = 1; seed <= 100; seed++) {
                final FaultSchedule s = FaultGenerator.of(seed, n, 3 * S).crashRestarts(4).leaves(3)
                    .rejoinAfterLeave(seed % 2 == 0).generate();
                final Set<Integer> down = new java.util.HashSet<>();
                for (final Action a : s.actions()) {
                    switch (a.kind()) {
                        case CRASH, LEAVE -> assertThat(down.add(a.members().get(0))).as(s.toScript()).isTrue();
                        case RESTART -> assertThat(down.remove(a.members().get(0))).isTrue();
                        default -> {
                        }
                    }
                    assertThat(down.size()).as("n=" + n + " seed " + seed + "\n" + s.toScript())
                        .isLessThanOrEqualTo((n - 1) / 2);
                }
            }
        }
    }

    @Test
    void shouldKeepOneOverridePerDirectedLinkAtATime() {
        for (long seed = 1; seed <= 50; seed++) {
            final FaultSchedule s = FaultGenerator.of(seed, 3, 2 * S).slowLinks(3).lossBursts(3).generate();
            final Map<List<Integer>, Boolean> set = new HashMap<>();
            for (final Action a : s.actions()) {
                final boolean was = set.getOrDefault(a.members(), false);
                assertThat(was).as("set while set: " + a + "\n" + s.toScript()).isEqualTo(a.links() == null);
                set.put(a.members(), a.links() != null);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void shouldRunEveryRowInTheSimulatorAndRecordItsFaults(final String row) {
        final FaultSchedule s = FaultRows.row(row, 3, 5, 500_000_000L);
        final Simulator.Options o = Simulator.options().stack("sim-raw").members(5).messages(1000).seed(3)
            .settle(2 * S).check(Set.of("I1", "I2")).faults(s);
        if (row.equals("F23")) {
            o.transportProvides(Set.of(Property.RELIABLE, Property.FIFO));
        }
        final SimulationResult r = o.run();
        for (final Action a : s.actions()) {
            assertThat(r.trace().events()).anyMatch(e -> e.type() == TraceEvent.Type.FAULT
                && e.args().equals(a.toString()));
        }
        if (FaultRows.ATTACKS.contains(row)) {
            // The attacks are real: a stack without encrypt delivers forged and replayed frames as messages.
            assertThat(r.report().violated()).as("sim-raw under " + row).containsAnyOf("I1", "I2");
        } else {
            assertThat(r.report().violated()).as("sim-raw never creates or duplicates").doesNotContain("I1");
        }
    }

    private static Set<Kind> kinds(final FaultSchedule s) {
        final Set<Kind> k = java.util.EnumSet.noneOf(Kind.class);
        s.actions().forEach(a -> k.add(a.kind()));
        return k;
    }
}
