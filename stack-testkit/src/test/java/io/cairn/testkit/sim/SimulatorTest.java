package io.cairn.testkit.sim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorTest {
    private static final Set<String> AGREEMENT = Set.of("I1", "I2", "I3", "I4", "V1", "V4", "M1", "M2", "M3");

    private static Simulator.Options raw(final long seed) {
        return Simulator.options().stack("sim-raw").members(3).messages(500).seed(seed).check(AGREEMENT)
            .faults(FaultSchedule.links(LinkConditions.CLEAN.withReorder(0.2).withDuplicate(0)));
    }

    @Test
    void shouldProduceIdenticalTracesForTheSameSeedAndDifferentOnesForAnother() {
        final SimulationResult a = raw(7).run();
        final SimulationResult b = raw(7).run();
        final SimulationResult c = raw(8).run();
        assertThat(a.trace().size()).isGreaterThan(1500);
        assertThat(a.trace().hash()).isEqualTo(b.trace().hash());
        assertThat(c.trace().hash()).isNotEqualTo(a.trace().hash());
    }

    @Test
    void shouldReportAgreementViolationsForAStackWithoutReliabilityUnderLoss() {
        final SimulationResult clean = raw(3).run();
        assertThat(clean.report().violations()).as(clean.describe()).isEmpty();
        final SimulationResult lossy = raw(3)
            .faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.10))).run();
        assertThat(lossy.ok()).isFalse();
        assertThat(lossy.report().violated()).contains("I4");
        assertThat(lossy.network().dropped()).isGreaterThan(0);
    }

    @Test
    void shouldPrintSeedScheduleAndReplayCommandWhenARunFails() {
        final SimulationResult lossy = raw(11).faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.1))).run();
        assertThatThrownBy(lossy::assertNoViolations)
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("seed 11")
            .hasMessageContaining("links")
            .hasMessageContaining("./cairn simulate --stack sim-raw --members 3 --messages 500 --seed 11")
            .hasMessageContaining("-Dcairn.seed=11");
    }

    @Test
    void shouldMinimiseAFailingScheduleToTheActionsThatMatter() {
        final FaultSchedule noisy = FaultSchedule.random(5, 3, 200_000_000L, 3, 0, 3);
        assertThat(raw(5).faults(noisy).run().ok()).as("a partition during traffic loses messages").isFalse();
        final FaultSchedule small = FaultMinimizer.minimize(noisy, s -> !raw(5).faults(s).run().ok());
        assertThat(small.actions().size()).isLessThan(noisy.actions().size());
        assertThat(raw(5).faults(small).run().ok()).isFalse();
        assertThat(small.actions()).anyMatch(a -> a.kind() == FaultSchedule.Kind.PARTITION);
    }

    @Test
    void shouldFindTheOneRelevantActionByDeltaDebugging() {
        final List<FaultSchedule.Action> many = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(new FaultSchedule.Action(i, FaultSchedule.Kind.PAUSE, List.of(i % 3), null));
        }
        many.add(new FaultSchedule.Action(7, FaultSchedule.Kind.CRASH, List.of(2), null));
        final FaultSchedule min = FaultMinimizer.minimize(new FaultSchedule(many),
            s -> s.actions().stream().anyMatch(a -> a.kind() == FaultSchedule.Kind.CRASH));
        assertThat(min.actions()).hasSize(1);
        assertThat(min.actions().get(0).kind()).isEqualTo(FaultSchedule.Kind.CRASH);
    }

    @Test
    void shouldRestartACrashedMemberAsANewIncarnationDeterministically() {
        final FaultSchedule crashRestart = new FaultSchedule(List.of(
            new FaultSchedule.Action(100_000_000L, FaultSchedule.Kind.CRASH, List.of(1), null),
            new FaultSchedule.Action(200_000_000L, FaultSchedule.Kind.RESTART, List.of(1), null)));
        final SimulationResult a = raw(9).faults(crashRestart).run();
        final SimulationResult b = raw(9).faults(crashRestart).run();
        assertThat(a.trace().hash()).isEqualTo(b.trace().hash());
        assertThat(a.trace().events()).anyMatch(e -> e.type() == io.cairn.testkit.trace.TraceEvent.Type.CRASH
            && e.p().equals("m1#0"));
        assertThat(a.trace().events()).anyMatch(e -> e.type() == io.cairn.testkit.trace.TraceEvent.Type.INSTALL
            && e.p().equals("m1#1"));
        assertThat(a.members().get(1).id().toString()).isEqualTo("m1#1");
        assertThat(a.sumCounter("stack.reject_nonmember")).as("a static group does not know the new incarnation")
            .isGreaterThan(0);
    }
}
