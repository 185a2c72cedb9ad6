package io.cairn.cli;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.config.StackSpec;
import io.cairn.testkit.sim.FaultRows;
import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.FaultScript;
import io.cairn.testkit.sim.FaultScriptException;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code cairn simulate}: deterministic simulator runs, checked. One seed ({@code --seed}) or a range
 * ({@code --seeds A..B}); faults from the command line, a fault script ({@code --faults}, format in
 * {@link FaultScript}) and a seeded row of the fault matrix ({@code --fault-row}). Exit 0 without violations, 1
 * with, 2 on bad input (with the file, line, text and fix for a bad fault script).
 */
@Command(name = "simulate", description = "Run a stack in the deterministic simulator and check its trace.",
    footer = {"", "Fault scripts (--faults): one action per line, '#' comments, e.g.",
        "  50ms link 0>1 delay=1500ms     2s link 0>1 clear     1.2s leave 0     3s crash 2     3.5s restart 2",
        "  4s partition 0,1 | 2,3,4       6s heal               0s loopback 3 loss=0.5 delay=2ms",
        "  0s clock 4 offset=288s rate=1.1    0s slow-consumer 1 1MB/s    0s no-rejoin 2    5s reset 0-1",
        "Shipped scripts can be named without a path: " + SimulateCommand.SHIPPED + ". Format: README.md,",
        "section \"Simulation and checking\". Exit 0: no violation; 1: violations; 2: bad input."})
public final class SimulateCommand implements Callable<Integer> {
    /** Fault scripts shipped in the jar under {@code faults/<name>.faults}. */
    static final String SHIPPED = "one-way-slow-link";
    private static final long MAX_SEEDS = 1_000_000L;

    @Option(names = "--stack", required = true, description = "shipped stack name or .conf file")
    String stack;

    @Option(names = "--members", defaultValue = "3", description = "group size (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--groups", defaultValue = "1", description = "groups per host: each host is one process with a "
        + "stack per group sharing its failure detection; host faults hit them all, leaves and hangs one group in "
        + "turn (default ${DEFAULT-VALUE})")
    int groups;

    @Option(names = "--messages", defaultValue = "2000", description = "casts in total (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--seed", description = "seed of everything random (default 1)")
    Long seed;

    @Option(names = "--seeds", paramLabel = "A..B", description = "run every seed from A to B with the same options; "
        + "prints only failures and a summary")
    String seeds;

    @Option(names = "--faults", paramLabel = "FILE", description = "fault script (a file, or a shipped script's name: "
        + SHIPPED + ")")
    String faultsFile;

    @Option(names = "--fault-row", paramLabel = "ROW", description = "add a seeded row of the fault matrix: "
        + "F11, F20, F21, F22, F23, F24, F25 or mixed; or the attacks F17 (forged frames) and F18 (replays)")
    String faultRow;

    @Option(names = "--slow-consumer", paramLabel = "I:RATE", description = "member I's application consumes at "
        + "RATE bytes per second (e.g. 1:1MB/s); repeatable")
    List<String> slowConsumers = new ArrayList<>();

    @Option(names = "--no-rejoin", paramLabel = "I", description = "member I does not rejoin as a new incarnation "
        + "when its stack exits; repeatable")
    List<Integer> noRejoin = new ArrayList<>();

    @Option(names = "--blocking-casts", description = "casts refused by back-pressure are retried until taken")
    boolean blockingCasts;

    @Option(names = "--send-interval", defaultValue = "500us", description = "time between two casts "
        + "(default ${DEFAULT-VALUE})")
    String sendInterval;

    @Option(names = "--settle", defaultValue = "10s", description = "quiescent tail after the last cast and fault "
        + "(default ${DEFAULT-VALUE})")
    String settle;

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

    @Option(names = "--trace", description = "write the NDJSON trace to this file (one seed only; with --groups, "
        + "group g>0 to FILE.g<g>)")
    Path trace;

    @Option(names = "--json", description = "one JSON object on one line (per failing seed, and a summary, with "
        + "--seeds)")
    boolean json;

    /** Input that cannot be run: printed without a stack trace, exit 2. */
    private static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(final String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() throws IOException {
        final PrintStream err = System.err;
        final Plan plan;
        try {
            plan = plan();
        } catch (final BadInput e) {
            err.println("cairn simulate: " + e.getMessage());
            return 2;
        } catch (final FaultScriptException e) {
            err.println("cairn simulate: invalid fault script " + e.getMessage());
            return 2;
        }
        return seeds == null ? single(plan, seed == null ? 1 : seed) : range(plan);
    }

    /** Everything validated before the first run. */
    private record Plan(StackSpec spec, FaultSchedule script, long sendIntervalNs, long settleNs, long firstSeed,
                        long lastSeed) {
    }

    private Plan plan() throws BadInput, IOException {
        if (members < 1) {
            throw new BadInput("--members must be at least 1");
        }
        if (groups < 1) {
            throw new BadInput("--groups must be at least 1");
        }
        if (messages < 0) {
            throw new BadInput("--messages must be 0 or more");
        }
        for (final double p : new double[] {loss, dup, reorder}) {
            if (p < 0 || p > 1) {
                throw new BadInput("--loss, --dup and --reorder are probabilities in [0, 1]: " + p);
            }
        }
        final StackSpec spec;
        try {
            spec = new StackAssembler().load(stack, ConfigFactory.empty());
        } catch (final StackConfigException e) {
            throw new BadInput("invalid stack: " + e.getMessage());
        }
        final long interval = duration("--send-interval", sendInterval);
        final long settleNs = duration("--settle", settle);
        if (interval <= 0) {
            throw new BadInput("--send-interval must be > 0: " + sendInterval);
        }
        long first = 0;
        long last = 0;
        if (seeds != null) {
            if (seed != null) {
                throw new BadInput("give --seed or --seeds, not both");
            }
            final String[] ab = seeds.strip().split("\\.\\.", -1);
            try {
                first = Long.parseLong(ab[0].strip());
                last = ab.length == 2 ? Long.parseLong(ab[1].strip()) : first;
            } catch (final NumberFormatException e) {
                first = 1;
                last = 0;
            }
            if (ab.length > 2 || last < first || last - first >= MAX_SEEDS) {
                throw new BadInput("--seeds " + seeds + ": expected a range A..B with A <= B (at most " + MAX_SEEDS
                    + " seeds), e.g. --seeds 5001..5005");
            }
            if (trace != null && last != first) {
                throw new BadInput("--trace writes one run's trace: give one seed (--seed or --seeds A..A)");
            }
        }
        for (final String s : slowConsumers) {
            slowConsumer(s);
        }
        for (final int i : noRejoin) {
            member("--no-rejoin " + i, i);
        }
        if (faultRow != null && java.util.stream.Stream.concat(FaultRows.IDS.stream(), FaultRows.ATTACKS.stream())
            .noneMatch(r -> r.equalsIgnoreCase(faultRow))) {
            throw new BadInput("--fault-row " + faultRow + ": unknown row; use one of "
                + String.join(", ", FaultRows.IDS) + ", or the attacks " + String.join(", ", FaultRows.ATTACKS));
        }
        final FaultSchedule script = faultsFile == null ? FaultSchedule.none() : readScript();
        return new Plan(spec, script, interval, settleNs, first, last);
    }

    private static long duration(final String option, final String v) throws BadInput {
        try {
            return FaultScript.parseDuration(v);
        } catch (final IllegalArgumentException e) {
            throw new BadInput(option + " " + v + ": " + e.getMessage() + "; write a duration with a unit, e.g. "
                + "500us, 10s");
        }
    }

    private void member(final String what, final int i) throws BadInput {
        if (i < 0 || i >= members) {
            throw new BadInput(what + ": member " + i + " does not exist in a group of " + members
                + " (members are numbered from 0 to " + (members - 1) + ")");
        }
    }

    private long[] slowConsumer(final String s) throws BadInput {
        final int colon = s.indexOf(':');
        try {
            if (colon > 0) {
                final int i = Integer.parseInt(s.substring(0, colon).strip());
                final long rate = FaultScript.rate(s.substring(colon + 1));
                member("--slow-consumer " + s, i);
                if (rate > 0) {
                    return new long[] {i, rate};
                }
            }
        } catch (final IllegalArgumentException e) {
            // reported below with the expected form
        }
        throw new BadInput("--slow-consumer " + s + ": expected INDEX:RATE with a rate > 0 in bytes per second, e.g. "
            + "1:1MB/s or 2:500KB/s");
    }

    /** Reads --faults: a file, or else a script shipped under faults/ (by name, with or without .faults). */
    private FaultSchedule readScript() throws BadInput, IOException {
        final Path p = Path.of(faultsFile);
        if (Files.isRegularFile(p)) {
            return FaultScript.read(p, members);
        }
        final String name = faultsFile.endsWith(".faults") ? faultsFile : faultsFile + ".faults";
        try (InputStream in = SimulateCommand.class.getResourceAsStream("/faults/" + name)) {
            if (in != null && !faultsFile.contains("/")) {
                return FaultScript.parse("faults/" + name + " (shipped)",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), members);
            }
        }
        throw new BadInput("--faults " + faultsFile + ": no such file" + (Files.exists(p) ? " (it is a directory)"
            : "") + ", and no shipped fault script of that name; shipped: " + SHIPPED);
    }

    private FaultSchedule faults(final Plan plan, final long s) {
        final List<FaultSchedule.Action> all = new ArrayList<>();
        if (loss != 0 || dup != 0 || reorder != 0) {
            all.add(FaultSchedule.Action.links(0, LinkConditions.CLEAN.withLoss(loss).withDuplicate(dup)
                .withReorder(reorder)));
        }
        final long span = Math.max(1, messages * plan.sendIntervalNs);
        all.addAll(FaultSchedule.random(s, members, span, partitions, crashes, 0).actions());
        all.addAll(plan.script.actions());
        if (faultRow != null) {
            all.addAll(FaultRows.row(faultRow, s, members, span).actions());
        }
        return new FaultSchedule(all);
    }

    private SimulationResult run(final Plan plan, final long s, final FaultSchedule faults) throws BadInput {
        final Simulator.Options o = Simulator.options().stack(plan.spec).members(members).groups(groups)
            .messages(messages).seed(s)
            .payload(8, maxPayload).sendInterval(plan.sendIntervalNs).settle(plan.settleNs).faults(faults);
        for (final String sc : slowConsumers) {
            final long[] v = slowConsumer(sc);
            o.slowConsumer((int) v[0], v[1]);
        }
        noRejoin.forEach(o::noRejoin);
        if (blockingCasts) {
            o.blockingCasts();
        }
        try {
            return o.run();
        } catch (final StackConfigException e) {
            // A layer checks some settings only when its stack starts (the encrypt layer reads its secret).
            throw new BadInput("invalid stack: " + e.getMessage());
        }
    }

    private int single(final Plan plan, final long s) throws IOException {
        final FaultSchedule faults = faults(plan, s);
        final SimulationResult r;
        try {
            r = run(plan, s, faults);
        } catch (final BadInput e) {
            System.err.println("cairn simulate: " + e.getMessage());
            return 2;
        }
        if (trace != null) {
            r.trace().write(trace);
            for (int g = 1; g < r.traces().size(); g++) {
                r.traces().get(g).write(trace.resolveSibling(trace.getFileName() + ".g" + g));
            }
        }
        final List<Violation> vs = r.report().violations();
        if (json) {
            System.out.println(json(r, s, faults));
        } else {
            System.out.println("stack       " + r.stack().source() + " " + r.stack().layerNames());
            System.out.println("run         " + members + " members" + (groups > 1 ? " x " + groups + " groups" : "")
                + ", " + messages + " casts, seed " + s);
            System.out.println("faults      " + faults);
            System.out.println("checked     " + String.join(" ", new TreeSet<>(r.report().checked())));
            System.out.println("events      " + r.trace().size());
            System.out.println("trace hash  " + r.trace().hash());
            for (int g = 1; g < r.traces().size(); g++) {
                System.out.println("  group " + g + "   " + r.traces().get(g).hash());
            }
            System.out.println(r.ok() ? "result      no violation"
                : "result      " + vs.size() + " violation(s) of " + r.report().violated() + "\nfirst       "
                + vs.get(0) + "\nreplay      " + replay(s));
        }
        return r.ok() ? 0 : 1;
    }

    private int range(final Plan plan) throws IOException {
        final List<Long> failing = new ArrayList<>();
        long violations = 0;
        for (long s = plan.firstSeed; s <= plan.lastSeed; s++) {
            final FaultSchedule faults = faults(plan, s);
            final SimulationResult r;
            try {
                r = run(plan, s, faults);
            } catch (final BadInput e) {
                System.err.println("cairn simulate: " + e.getMessage());
                return 2;
            }
            if (trace != null) {
                r.trace().write(trace);
            }
            if (!r.ok()) {
                failing.add(s);
                final List<Violation> vs = r.report().violations();
                violations += vs.size();
                System.out.println(json ? json(r, s, faults) : "seed " + s + "  " + vs.size() + " violation(s) of "
                    + r.report().violated() + "  first: " + vs.get(0).property() + ": " + vs.get(0).message());
            }
        }
        final long runs = plan.lastSeed - plan.firstSeed + 1;
        final String replay = failing.isEmpty() ? null : replay(failing.get(0));
        if (json) {
            System.out.println("{\"seeds\":" + Json.str(plan.firstSeed + ".." + plan.lastSeed) + ",\"runs\":" + runs
                + ",\"failed\":" + failing.size() + ",\"violations\":" + violations + ",\"failingSeeds\":"
                + failing.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")) + ",\"replay\":"
                + (replay == null ? "null" : Json.str(replay)) + ",\"ok\":" + failing.isEmpty() + "}");
        } else {
            System.out.println("seeds " + plan.firstSeed + ".." + plan.lastSeed + ": " + runs + " runs, "
                + failing.size() + " failed, " + violations + " violation(s)" + (failing.isEmpty() ? ""
                : "; failing seeds: " + failing.stream().map(String::valueOf).collect(Collectors.joining(" "))
                + "; replay the first: " + replay));
        }
        return failing.isEmpty() ? 0 : 1;
    }

    private String json(final SimulationResult r, final long s, final FaultSchedule faults) {
        final List<Violation> vs = r.report().violations();
        return "{\"stack\":" + Json.str(stack) + ",\"members\":" + members + ",\"messages\":" + messages + ",\"seed\":"
            + s + ",\"faults\":" + Json.str(faults.toString()) + ",\"checked\":"
            + Json.list(new ArrayList<>(new TreeSet<>(r.report().checked()))) + ",\"events\":" + r.trace().size()
            + ",\"violations\":" + vs.size() + ",\"violated\":" + Json.list(new ArrayList<>(r.report().violated()))
            + ",\"first\":" + (vs.isEmpty() ? "null" : Json.str(vs.get(0).toString())) + ",\"traceHash\":"
            + Json.str(r.trace().hash()) + (r.ok() ? "" : ",\"replay\":" + Json.str(replay(s))) + ",\"ok\":" + r.ok()
            + "}";
    }

    /** The command line that replays one seed with every option of this one. */
    String replay(final long s) {
        final StringBuilder b = new StringBuilder("./cairn simulate --stack ").append(stack).append(" --members ")
            .append(members).append(groups > 1 ? " --groups " + groups : "").append(" --messages ").append(messages);
        if (faultsFile != null) {
            b.append(" --faults ").append(faultsFile);
        }
        if (faultRow != null) {
            b.append(" --fault-row ").append(faultRow.toUpperCase(Locale.ROOT).replace("MIXED", "mixed")
                .replace("HANG", "hang"));
        }
        option(b, "--loss", loss, 0);
        option(b, "--dup", dup, 0);
        option(b, "--reorder", reorder, 0);
        option(b, "--partitions", partitions, 0);
        option(b, "--crashes", crashes, 0);
        option(b, "--max-payload", maxPayload, 4000);
        slowConsumers.forEach(sc -> b.append(" --slow-consumer ").append(sc));
        noRejoin.forEach(i -> b.append(" --no-rejoin ").append(i));
        if (blockingCasts) {
            b.append(" --blocking-casts");
        }
        if (!"500us".equals(sendInterval)) {
            b.append(" --send-interval ").append(sendInterval);
        }
        if (!"10s".equals(settle)) {
            b.append(" --settle ").append(settle);
        }
        return b.append(" --seed ").append(s).toString();
    }

    private static void option(final StringBuilder b, final String name, final double v, final double dflt) {
        if (v != dflt) {
            b.append(' ').append(name).append(' ').append(v == Math.rint(v) ? String.valueOf((long) v)
                : String.valueOf(v));
        }
    }
}
