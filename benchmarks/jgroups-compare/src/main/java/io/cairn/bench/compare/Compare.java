package io.cairn.bench.compare;

import io.cairn.bench.compare.Results.CurvePoint;
import io.cairn.bench.compare.Results.OneAtATime;
import io.cairn.bench.compare.Results.Run;
import io.cairn.bench.compare.Results.Throughput;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the rows (see {@link Row}) for JGroups and Cairn, alternating J, C, J, C over the repetitions, and writes the
 * Markdown tables. See {@link #USAGE}.
 */
public final class Compare {
    private static final String USAGE = """
        usage: java -Djava.net.preferIPv4Stack=true -jar jgroups-compare.jar [options]
          --rows LIST        row ids or globs, comma-separated (default all; --list shows them)
          --reps K           repetitions per row and system (default 2)
          --duration S       measured window of each measurement, seconds (default 1)
          --warmup S         warm-up before each measured window, seconds (default 0.5)
          --prewarm S        before the first row of each pair and payload size, each system casts closed loop
                             this long, unmeasured, so that no row measures code the JIT has not compiled yet
                             (default 3; 0: off)
          --fractions LIST   open-loop loads, fractions of the closed-loop rate (default 0.25,0.5,0.75,0.9)
          --modes LIST       throughput,curve,oat (default all; curve needs throughput)
          --systems LIST     jgroups,cairn (default both)
          --out FILE         Markdown tables, rewritten after every run (default: stdout at the end)
          --list             print the row ids and exit
        """;
    private static final long VIEW_TIMEOUT_S = 30;

    private Compare() {
    }

    /** Command-line options. */
    record Options(List<Row> rows, int reps, long durationNs, long warmupNs, long prewarmNs, double[] fractions,
                   boolean throughput, boolean curve, boolean oat, boolean jgroups, boolean cairn, Path out) {
    }

    /**
     * @param args see {@link #USAGE}
     * @throws Exception on an I/O error writing the report
     */
    public static void main(final String[] args) throws Exception {
        final Options o;
        try {
            o = parse(args);
        } catch (final IllegalArgumentException e) {
            System.err.println("compare: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o == null) {
            return;
        }
        if (!"true".equals(System.getProperty("java.net.preferIPv4Stack"))) {
            System.err.println("compare: run with -Djava.net.preferIPv4Stack=true (JGroups' multicast on 127.0.0.1)");
            System.exit(2);
        }
        // A multicast port pair of this invocation's own: other processes on the machine may use the defaults.
        final int port = 46000 + 2 * ThreadLocalRandom.current().nextInt(500);
        JGroupsSystem.configureOnce(port);
        final List<Run> runs = new ArrayList<>();
        final int total = o.rows().size() * o.reps() * ((o.jgroups() ? 1 : 0) + (o.cairn() ? 1 : 0));
        final String settings = settings(o, port);
        final long t0 = System.nanoTime();
        prime(o, port);
        final java.util.Set<String> warmed = new java.util.HashSet<>();
        for (final Row row : o.rows()) {
            if (o.prewarmNs() > 0 && warmed.add(row.kind() + "/" + row.size())) {
                prewarm(o, row, port);
            }
            for (int rep = 1; rep <= o.reps(); rep++) {
                for (final GroupSystem sys : systems(o, row.kind(), port)) {
                    final Run r = run(sys, row, rep, o);
                    runs.add(r);
                    System.out.printf(Locale.ROOT, "[%d/%d %.0fs] %s%n", runs.size(), total,
                        (System.nanoTime() - t0) / 1e9, line(r));
                    if (o.out() != null) {
                        Files.writeString(o.out(), report(o, runs, settings), StandardCharsets.UTF_8);
                    }
                    // Let the previous system's garbage and threads go before the next one starts.
                    System.gc();
                    Thread.sleep(500);
                }
            }
        }
        if (o.out() == null) {
            System.out.print(report(o, runs, settings));
        }
        System.out.printf(Locale.ROOT, "done: %d runs in %.0f s%n", runs.size(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Compiles the code a pair and payload size runs before anything of it is measured: each system casts closed
     * loop for the pre-warm time, once, unreported. Without it the first rows of a payload size measured the JIT as
     * much as the system (64 KiB: Cairn 434 MB/s in a 1 s window, 829 MB/s in 3 s windows; JGroups likewise).
     */
    private static void prewarm(final Options o, final Row row, final int port) throws InterruptedException {
        for (final GroupSystem sys : systems(o, row.kind(), port)) {
            final long t0 = System.nanoTime();
            final Tally tally = new Tally(row.n());
            String outcome;
            try (GroupSystem.Cluster c = sys.start("cmp-warm-" + Long.toHexString(System.nanoTime()), row.n(),
                tally)) {
                outcome = awaitView(c, row.n());
                if (outcome == null) {
                    final Throughput tp = new Measure(c, tally, row.size(), o.prewarmNs(),
                        TimeUnit.MILLISECONDS.toNanos(100)).closedLoop();
                    outcome = tp.failure() != null ? tp.failure() : "ok";
                }
            } catch (final Exception e) {
                outcome = "failed: " + e;
            }
            System.out.printf(Locale.ROOT, "pre-warm %s %s-%s: %s (%.1f s)%n", sys.label(), row.kind(),
                row.sizeLabel(), outcome, (System.nanoTime() - t0) / 1e9);
            System.gc();
            Thread.sleep(500);
        }
    }

    /**
     * Starts and closes one member of every configuration the rows use, unmeasured: loads the classes, and opens
     * what each library opens once per process (JGroups a socket, Cairn's SecureRandom its devices), so the check
     * for threads and descriptors left after a run sees only what that run left.
     */
    private static void prime(final Options o, final int port) throws InterruptedException {
        for (final Row.Kind kind : o.rows().stream().map(Row::kind).distinct().toList()) {
            for (final GroupSystem sys : systems(o, kind, port)) {
                try (GroupSystem.Cluster c = sys.start("cmp-prime-" + Long.toHexString(System.nanoTime()), 1,
                    new Tally(1))) {
                    final String failure = awaitView(c, 1);
                    if (failure != null) {
                        System.out.println("priming " + sys.label() + ": " + failure);
                    }
                } catch (final Exception e) {
                    System.out.println("priming " + sys.label() + " failed: " + e);
                }
            }
        }
    }

    /** @return the systems to run for a row, JGroups first (so repetitions alternate J, C, J, C) */
    private static List<GroupSystem> systems(final Options o, final Row.Kind kind, final int port) {
        final List<GroupSystem> systems = new ArrayList<>();
        if (o.jgroups()) {
            systems.add(new JGroupsSystem(kind.jgroupsConfig));
        }
        if (o.cairn()) {
            systems.add(new CairnSystem(kind.cairnStack, kind.cairnTransport, port + 1));
        }
        return systems;
    }

    private static String report(final Options o, final List<Run> runs, final String settings) {
        return new Report(o.rows(), runs, o.curve() ? o.fractions() : new double[0]).render(settings);
    }

    /** One system, one row, one repetition: fresh members, the measurements, then everything closed. */
    static Run run(final GroupSystem sys, final Row row, final int rep, final Options o) {
        final boolean cairn = sys instanceof CairnSystem;
        final int threads0 = threads();
        final Map<String, String> fds0 = fds();
        final long t0 = System.nanoTime();
        final String cluster = "cmp-" + row.id() + "-" + (cairn ? "c" : "j") + rep + "-"
            + Long.toHexString(System.nanoTime());
        final Tally tally = new Tally(row.n());
        final StringBuilder phases = new StringBuilder();
        String failure = null;
        Throughput tp = null;
        List<CurvePoint> curve = null;
        OneAtATime oat = null;
        GroupSystem.Cluster c = null;
        try {
            c = sys.start(cluster, row.n(), tally);
            failure = awaitView(c, row.n());
            phases.append(String.format(Locale.ROOT, "view %.1f s", (System.nanoTime() - t0) / 1e9));
            if (failure == null) {
                final Measure m = new Measure(c, tally, row.size(), o.warmupNs(), o.durationNs());
                if (o.throughput()) {
                    tp = m.closedLoop();
                }
                if (o.curve() && tp != null && tp.failure() == null) {
                    curve = new ArrayList<>();
                    for (final double f : o.fractions()) {
                        curve.add(m.openLoop(f, tp.perMember()));
                    }
                }
                if (o.oat()) {
                    oat = m.oneAtATime();
                }
                phases.append(m.drains);
            }
        } catch (final Exception e) {
            failure = "failed: " + e;
        } finally {
            if (c != null) {
                final long closing = System.nanoTime();
                try {
                    c.close();
                    phases.append(String.format(Locale.ROOT, ", close %.1f s", (System.nanoTime() - closing) / 1e9));
                } catch (final RuntimeException e) {
                    failure = failure != null ? failure : "close failed: " + e;
                }
            }
        }
        final double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(row, cairn, sys.label(), rep, failure, tp, curve, oat, leak(threads0, fds0), seconds,
            phases.toString());
    }

    /** @return null once every member's view has {@code n} members, else why not (after a bounded wait) */
    private static String awaitView(final GroupSystem.Cluster c, final int n) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VIEW_TIMEOUT_S);
        while (true) {
            final int[] sizes = c.viewSizes();
            if (Arrays.stream(sizes).allMatch(s -> s == n)) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                return "no view of " + n + " within " + VIEW_TIMEOUT_S + " s (view sizes " + Arrays.toString(sizes)
                    + ")";
            }
            Thread.sleep(10);
        }
    }

    /** @return what is still open a few seconds after close compared with before the run, or null */
    private static String leak(final int threads0, final Map<String, String> fds0) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int threads;
        Map<String, String> fds;
        while ((threads = threads()) > threads0 | (fds = fds()).size() > fds0.size()) {
            if (System.nanoTime() - deadline > 0) {
                final String names = threads > threads0 ? " (" + Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName).sorted().collect(Collectors.joining(", ")) + ")" : "";
                fds.keySet().removeAll(fds0.keySet());
                return "+" + Math.max(0, threads - threads0) + " threads, +" + Math.max(0, fds.size())
                    + " file descriptors " + fds.values() + names;
            }
            try {
                Thread.sleep(50);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** @return this process's open file descriptors and what they refer to */
    private static Map<String, String> fds() {
        final Map<String, String> m = new TreeMap<>();
        final String[] fds = new File("/proc/self/fd").list();
        for (final String fd : fds == null ? new String[0] : fds) {
            try {
                m.put(fd, Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString());
            } catch (final IOException e) {
                // Closed between the listing and the read (the listing's own descriptor, for one).
            }
        }
        return m;
    }

    private static String line(final Run r) {
        final StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %s rep %d (%.1f s; %s):",
            r.row().id(), r.label(), r.rep(), r.seconds(), r.phases()));
        if (r.failure() != null) {
            b.append(" FAILED ").append(r.failure());
        }
        final Throughput tp = r.throughput();
        if (tp != null) {
            b.append(tp.failure() != null ? " throughput INCOMPLETE " + tp.failure() : String.format(Locale.ROOT,
                " %,.0f/s per member, %.1f MB/s, %.2f µs CPU/delivery, %.2f cores;", tp.perMember(), tp.mbPerSec(),
                tp.cpuUsPerMsg(), tp.cores()));
        }
        if (r.curve() != null) {
            for (final CurvePoint p : r.curve()) {
                b.append(p.failure() != null ? " @" + p.fraction() + " INCOMPLETE " + p.failure() + ";"
                    : String.format(Locale.ROOT, " @%.2f %,.0f/s p50/p99/p99.9 %.0f/%.0f/%.0f µs;", p.fraction(),
                    p.achieved(), p.p50(), p.p99(), p.p999()));
            }
        }
        final OneAtATime oat = r.oneAtATime();
        if (oat != null) {
            b.append(oat.failure() != null ? " one-at-a-time INCOMPLETE " + oat.failure() : String.format(Locale.ROOT,
                " one-at-a-time p50/p99 %.0f/%.0f µs (all %.0f), %d rounds", oat.p50(), oat.p99(), oat.allP50(),
                oat.rounds()));
        }
        if (r.leak() != null) {
            b.append(" LEFT OPEN: ").append(r.leak());
        }
        return b.toString();
    }

    private static String settings(final Options o, final int port) {
        return String.format(Locale.ROOT, """
            ## Settings

            | | |
            |---|---|
            | rows | %s |
            | repetitions | %d per row and system, JGroups and Cairn alternating |
            | measured window | %.1f s per measurement, after a %.1f s warm-up |
            | pre-warm | %.1f s of unmeasured closed loop per system before the first row of each pair and size |
            | open-loop loads | %s |
            | modes | %s |
            | JGroups | %s, stock files from its jar; -Djgroups.bind_addr=127.0.0.1, jgroups.udp.ip_ttl=0, \
            jgroups.udp.mcast_port=%d; over TCP, TCPPING lists the members started before \
            (jgroups.tcp.port_range=0), and tcp_nodelay=%s (tcp.xml's default is false: Nagle on) |
            | Cairn | shipped stacks, defaults (UDP multicast on lo, TTL 0) with \
            cairn.transport.udp.multicast-port=%d; over TCP (TCP_NODELAY always on), each node's initial-members are \
            the nodes started before |

            Pairs: udp-fifo = JGroups `udp.xml` vs Cairn `vsync` over UDP; tcp-fifo = `tcp.xml` vs `vsync` over TCP; \
            udp-total = `sequencer.xml` vs `total` over UDP. Row ids: kind-nN-size. All members of a run live in \
            this one JVM and talk over 127.0.0.1.
            """, o.rows().stream().map(Row::id).collect(Collectors.joining(", ")), o.reps(), o.durationNs() / 1e9,
            o.warmupNs() / 1e9, o.prewarmNs() / 1e9, Arrays.toString(o.fractions()), (o.throughput() ? "throughput " : "")
                + (o.curve() ? "curve " : "") + (o.oat() ? "one-at-a-time" : ""), org.jgroups.Version.printVersion(),
            port, System.getProperty("tcp-nodelay", "false"), port + 1);
    }

    private static Options parse(final String[] args) {
        String rows = "all";
        int reps = 2;
        double duration = 1;
        double warmup = 0.5;
        double prewarm = 3;
        String fractions = "0.25,0.5,0.75,0.9";
        String modes = "throughput,curve,oat";
        String systems = "jgroups,cairn";
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            if (a.equals("--list")) {
                Row.all().forEach(r -> System.out.println(r.id()));
                return null;
            }
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(USAGE);
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + a);
            }
            final String v = args[++i];
            switch (a) {
                case "--rows" -> rows = v;
                case "--reps" -> reps = Integer.parseInt(v);
                case "--duration" -> duration = seconds(v);
                case "--warmup" -> warmup = seconds(v);
                case "--prewarm" -> prewarm = seconds(v);
                case "--fractions" -> fractions = v;
                case "--modes" -> modes = v;
                case "--systems" -> systems = v;
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        final List<String> m = List.of(modes.split(","));
        final List<String> s = List.of(systems.split(","));
        if (!List.of("throughput", "curve", "oat").containsAll(m) || !List.of("jgroups", "cairn").containsAll(s)) {
            throw new IllegalArgumentException("--modes takes throughput,curve,oat and --systems jgroups,cairn");
        }
        if (m.contains("curve") && !m.contains("throughput")) {
            throw new IllegalArgumentException("--modes curve needs throughput (the loads are fractions of it)");
        }
        if (reps < 1 || duration <= 0 || warmup < 0 || prewarm < 0) {
            throw new IllegalArgumentException("--reps >= 1, --duration > 0, --warmup >= 0, --prewarm >= 0");
        }
        final double[] f = Arrays.stream(fractions.split(",")).mapToDouble(Double::parseDouble).toArray();
        if (Arrays.stream(f).anyMatch(x -> x <= 0 || x > 1)) {
            throw new IllegalArgumentException("--fractions are in (0, 1]");
        }
        return new Options(Row.select(rows), reps, (long) (duration * 1e9), (long) (warmup * 1e9),
            (long) (prewarm * 1e9), f,
            m.contains("throughput"), m.contains("curve"), m.contains("oat"), s.contains("jgroups"),
            s.contains("cairn"), out);
    }

    private static double seconds(final String v) {
        return Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
    }
}
