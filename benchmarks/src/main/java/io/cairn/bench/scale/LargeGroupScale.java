package io.cairn.bench.scale;

import io.cairn.testkit.sim.FaultScript;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;

import java.util.List;
import java.util.Locale;

/**
 * How the protocols grow with the group, in the simulator (virtual time, so the figures are the protocols', not
 * this machine's): for N members of a stack, idle control traffic per member per second (sent and received, and
 * the heartbeat and stability shares), the view change after a crash (simulated time from the crash until every
 * survivor installed the view without it) and the frames it cost per member, and the run's wall time.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.cairn.bench.scale.LargeGroupScale [stack] [sizes]</pre>
 * e.g. {@code vsync 3,8,16,32,64}. Prints a markdown table (docs/bench-large-groups.md).
 */
public final class LargeGroupScale {
    private static final long SHORT = 2_000_000_000L;
    private static final long LONG = 6_000_000_000L;

    private LargeGroupScale() {
    }

    /**
     * @param args stack (default vsync), sizes (default 3,8,16,32,64)
     */
    public static void main(final String[] args) {
        final String stack = args.length > 0 ? args[0] : "vsync";
        final String[] sizes = (args.length > 1 ? args[1] : "3,8,16,32,64").split(",");
        System.out.println("| N | idle frames sent /member/s | idle frames received /member/s | heartbeats /member/s "
            + "| control frames sent /member/s under load | of which stability gossip | view change after a crash "
            + "(ms, simulated) | wall time of the crash run (s) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (final String s : sizes) {
            final int n = Integer.parseInt(s.trim());
            // Idle rates: the difference between two quiet runs that differ only in their quiet tail.
            final SimulationResult shortRun = run(stack, n, SHORT, "");
            final SimulationResult longRun = run(stack, n, LONG, "");
            final double seconds = (LONG - SHORT) / 1e9;
            final double sent = per(longRun, shortRun, "stack.frames_out", n, seconds);
            final double received = per(longRun, shortRun, "stack.frames_in", n, seconds);
            final double beats = per(longRun, shortRun, "heartbeat.heartbeats_sent", n, seconds);
            // Under load: every member casts for 2 s; control = frames out that are not data sent by reliability.
            final SimulationResult load = run(stack, n, SHORT, "", 2000);
            final double loadSeconds = 2.0 + SHORT / 1e9;
            final double control = (load.sumCounter("stack.frames_out") - load.sumCounter("nak-reliability.sent"))
                / (double) n / loadSeconds;
            final double gossip = load.sumCounter("stability.gossips_sent") / (double) n / loadSeconds;
            final long t0 = System.nanoTime();
            final SimulationResult crash = run(stack, n, LONG, "1s crash " + (n - 1));
            final double wall = (System.nanoTime() - t0) / 1e9;
            final double viewChangeMs = viewChangeMs(crash, "m" + (n - 1));
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.1f |%n", n, sent,
                received, beats, control, gossip, viewChangeMs, wall);
            if (!crash.ok() || !longRun.ok() || !shortRun.ok() || !load.ok()) {
                System.out.println("violations: " + crash.describe());
            }
        }
    }

    private static SimulationResult run(final String stack, final int n, final long settleNs, final String faults) {
        return run(stack, n, settleNs, faults, n);
    }

    private static SimulationResult run(final String stack, final int n, final long settleNs, final String faults,
                                        final int messages) {
        final Simulator.Options o = Simulator.options().stack(stack).members(n).seed(1).messages(messages)
            .sendInterval(1_000_000L).payload(8, 64).settle(settleNs);
        if (!faults.isEmpty()) {
            o.faults(FaultScript.parse("scale", faults, n));
        }
        return o.run();
    }

    private static double per(final SimulationResult longRun, final SimulationResult shortRun, final String counter,
                              final int n, final double seconds) {
        return (longRun.sumCounter(counter) - shortRun.sumCounter(counter)) / (double) n / seconds;
    }

    /** @return from the crash to the last survivor's install of a view without the crashed member */
    private static double viewChangeMs(final SimulationResult r, final String crashedPrefix) {
        final List<TraceEvent> events = r.trace().events();
        long crashAt = -1;
        long last = -1;
        final java.util.Set<String> done = new java.util.HashSet<>();
        for (final TraceEvent e : events) {
            if (e.type() == TraceEvent.Type.CRASH && e.p().startsWith(crashedPrefix + "#") && crashAt < 0) {
                crashAt = e.t();
            } else if (crashAt >= 0 && e.type() == TraceEvent.Type.INSTALL && !e.p().startsWith(crashedPrefix + "#")
                && e.members().stream().noneMatch(m -> m.startsWith(crashedPrefix + "#")) && done.add(e.p())) {
                last = Math.max(last, e.t());
            }
        }
        return crashAt < 0 || last < 0 ? Double.NaN : (last - crashAt) / 1e6;
    }
}
