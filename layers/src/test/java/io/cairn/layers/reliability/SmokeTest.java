package io.cairn.layers.reliability;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void smoke() {
        final SimulationResult r = Simulator.options().stack("reliable-fifo-test").members(3).messages(2000).seed(1)
            .payload(8, 4 * 1500).faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.1).withReorder(0.2)
                .withDuplicate(0.1))).run();
        System.out.println(r.describe());
        r.members().forEach(m -> System.out.println(m.runtime().dump() + m.runtime().stats().snapshot()));
        assertThat(r.ok()).isTrue();
    }
}
