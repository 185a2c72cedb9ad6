package io.cairn.testkit.sim;

import io.cairn.stack.config.StackSpec;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.Trace;

import java.util.List;

/**
 * The outcome of one simulation.
 *
 * @param options what ran
 * @param stack   the stack
 * @param trace   the recorded trace
 * @param report  the checker's verdict
 * @param members the members, for their stats
 * @param network the network, for its counters
 * @param traces  every group's trace, the first group's ({@code trace}) first
 */
public record SimulationResult(Simulator.Options options, StackSpec stack, Trace trace, CheckReport report,
                               List<SimMember> members, SimNetwork network, List<Trace> traces) {
    /** @return whether every checked property held */
    public boolean ok() {
        return report.ok();
    }

    /** @return seed, schedule, verdict and how to replay */
    public String describe() {
        return "seed " + options.seed + ", " + options.members + " members, stack " + stack.layerNames() + ", faults "
            + options.faults + "\n" + report.summary() + "\nreplay: " + options.replayCommand();
    }

    /** Throws an AssertionError naming the seed, the schedule and the replay command unless the run was clean. */
    public void assertNoViolations() {
        if (!ok()) {
            throw new AssertionError("simulation found violations: " + describe());
        }
    }

    /**
     * @param name full counter name
     * @return the sum of that counter over all members
     */
    public long sumCounter(final String name) {
        return members.stream().mapToLong(m -> m.runtime().stats().get(name)).sum();
    }
}
