package io.cairn.testkit.sim;

import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the simulator records for the checker's X1, S2 and E1: leave requests, exits, final states, handler errors. */
class SimEndOfRunTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "V1", "V4", "M1", "M2", "M3", "E1", "X1");

    private static Simulator.Options raw(final long seed) {
        return Simulator.options().stack("sim-raw").members(3).messages(200).seed(seed).check(PROPS);
    }

    @Test
    void shouldRecordHandlerErrorsOfEveryProcessAndTheFinalStateOfTheLiveOnes() {
        final FaultSchedule crashRestart = new FaultSchedule(List.of(
            new FaultSchedule.Action(50_000_000L, FaultSchedule.Kind.CRASH, List.of(1), null),
            new FaultSchedule.Action(60_000_000L, FaultSchedule.Kind.RESTART, List.of(1), null)));
        final SimulationResult r = raw(4).faults(crashRestart).check(Set.of("E1", "X1")).run();
        assertThat(r.report().violations()).as(r.describe()).isEmpty();
        final List<TraceEvent> events = r.trace().events();
        assertThat(events).filteredOn(e -> e.type() == TraceEvent.Type.GAUGE
            && TraceEvent.HANDLER_ERRORS.equals(e.name())).extracting(TraceEvent::p)
            .containsExactlyInAnyOrder("m0#0", "m1#0", "m1#1", "m2#0");
        assertThat(events).filteredOn(e -> e.type() == TraceEvent.Type.FINAL).extracting(TraceEvent::p)
            .containsExactlyInAnyOrder("m0#0", "m1#1", "m2#0");
        assertThat(events).filteredOn(e -> e.type() == TraceEvent.Type.FINAL && !e.p().equals("m1#1"))
            .extracting(TraceEvent::value).as("the founders delivered the same casts").hasSize(2)
            .containsOnly(r.members().get(0).digest());
    }

    @Test
    void shouldRecordALeaveRequestAndAnExitThatIsNotACrash() {
        final FaultSchedule leave = new FaultSchedule(List.of(
            new FaultSchedule.Action(500_000_000L, FaultSchedule.Kind.LEAVE, List.of(2), null)));
        final SimulationResult r = raw(6).faults(leave).run();
        assertThat(r.report().violations()).as(r.describe()).isEmpty();
        assertThat(r.trace().events()).filteredOn(e -> e.p() != null && e.p().equals("m2#0")
            && (e.type() == TraceEvent.Type.LEAVE || e.type() == TraceEvent.Type.EXIT
            || e.type() == TraceEvent.Type.CRASH || e.type() == TraceEvent.Type.FINAL))
            .extracting(e -> e.type() + " " + e.name()).containsExactly("LEAVE null", "EXIT left");
    }
}
