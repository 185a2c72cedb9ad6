package io.cairn.layers;

import io.cairn.testkit.sim.SimMember;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import org.junit.jupiter.api.Test;

class DebugFlow {
    @Test
    void run() {
        final long t = System.nanoTime();
        final SimulationResult r = Simulator.options().stack("flow-test").members(3).seed(1)
            .messages(Integer.getInteger("dbg.n", 20000)).payload(1024, 1024).sendInterval(100_000L)
            .slowConsumer(2, 1_000_000L).blockingCasts().settle(8_000_000_000L).unackedBound(2L << 20).run();
        System.out.println("DBG wall ms " + (System.nanoTime() - t) / 1_000_000 + " " + r.report().summary());
        for (final SimMember m : r.members()) {
            System.out.println("DBG " + m.id() + " delivered=" + m.delivered() + " " + m.runtime().dump());
        }
    }
}
