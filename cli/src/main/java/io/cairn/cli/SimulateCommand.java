package io.cairn.cli;

import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code cairn simulate}: one deterministic simulator run, checked. Exit 0 without violations, 1 with. */
@Command(name = "simulate", description = "Run a stack in the deterministic simulator and check its trace.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--stack", required = true, description = "shipped stack name or .conf file")
    String stack;

    @Option(names = "--members", defaultValue = "3", description = "group size (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--messages", defaultValue = "2000", description = "casts in total (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--seed", defaultValue = "1", description = "seed of everything random (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--loss", defaultValue = "0", description = "per-frame loss probability")
    double loss;

    @Option(names = "--dup", defaultValue = "0", description = "per-frame duplication probability")
    double dup;

    @Option(names = "--reorder", defaultValue = "0", description = "per-frame reordering probability")
    double reorder;

    @Option(names = "--partitions", defaultValue = "0", description = "partition/heal cycles")
    int partitions;

    @Option(names = "--crashes", defaultValue = "0", description = "member crashes (at most a minority)")
    int crashes;

    @Option(names = "--max-payload", defaultValue = "4000", description = "largest payload in bytes")
    int maxPayload;

    @Option(names = "--trace", description = "write the NDJSON trace to this file")
    Path trace;

    @Option(names = "--json", description = "one JSON object on one line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final long sendSpan = messages * 500_000L;
        final FaultSchedule faults = FaultSchedule.links(LinkConditions.CLEAN.withLoss(loss).withDuplicate(dup)
            .withReorder(reorder)).plus(FaultSchedule.random(seed, members, sendSpan, partitions, crashes, 0)
            .actions());
        final SimulationResult r = Simulator.options().stack(stack).members(members).messages(messages).seed(seed)
            .payload(8, maxPayload).faults(faults).settle(10_000_000_000L).run();
        if (trace != null) {
            r.trace().write(trace);
        }
        final List<Violation> vs = r.report().violations();
        if (json) {
            System.out.println("{\"stack\":" + Json.str(stack) + ",\"members\":" + members + ",\"messages\":"
                + messages + ",\"seed\":" + seed + ",\"faults\":" + Json.str(faults.toString()) + ",\"checked\":"
                + Json.list(new ArrayList<>(new java.util.TreeSet<>(r.report().checked()))) + ",\"events\":"
                + r.trace().size() + ",\"violations\":" + vs.size() + ",\"violated\":"
                + Json.list(new ArrayList<>(r.report().violated())) + ",\"first\":"
                + (vs.isEmpty() ? "null" : Json.str(vs.get(0).toString())) + ",\"traceHash\":"
                + Json.str(r.trace().hash()) + ",\"ok\":" + r.ok() + "}");
        } else {
            System.out.println("stack       " + r.stack().source() + " " + r.stack().layerNames());
            System.out.println("run         " + members + " members, " + messages + " casts, seed " + seed);
            System.out.println("faults      " + faults);
            System.out.println("checked     " + r.report().checked().stream().sorted().collect(Collectors.joining(" ")));
            System.out.println("events      " + r.trace().size());
            System.out.println("trace hash  " + r.trace().hash());
            System.out.println(r.ok() ? "result      no violation"
                : "result      " + vs.size() + " violation(s) of " + r.report().violated() + "\nfirst       "
                + vs.get(0) + "\nreplay      " + r.options().replayCommand());
        }
        return r.ok() ? 0 : 1;
    }
}
