package io.cairn.bench.compare;

import io.cairn.bench.compare.Results.CurvePoint;
import io.cairn.bench.compare.Results.Run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The Markdown tables: per row, min–median–max over the repetitions that completed, for each system, and the ratio
 * of the medians (Cairn / JGroups). A repetition that did not complete is left out of the numbers, counted in the
 * cell ("1 of 2 incomplete") and explained in the list of incomplete runs.
 */
final class Report {
    private final List<Row> rows;
    private final List<Run> runs;
    private final double[] fractions;
    private final boolean curve;
    private final List<String> problems = new ArrayList<>();
    /** Against the goal: throughput ratio at least 2, latency ratios at most 0.5; "row (ratio)" each. */
    private final List<String> throughputMet = new ArrayList<>();
    private final List<String> throughputShort = new ArrayList<>();
    private final List<String> latencyMet = new ArrayList<>();
    private final List<String> latencyShort = new ArrayList<>();

    /** @param fractions the open-loop loads, none when that mode was not run */
    Report(final List<Row> rows, final List<Run> runs, final double[] fractions) {
        this.rows = rows;
        this.runs = runs;
        this.fractions = fractions;
        this.curve = fractions.length > 0;
    }

    String render(final String settings) {
        final StringBuilder b = new StringBuilder();
        b.append(settings).append('\n');
        runs.stream().filter(r -> r.failure() != null).forEach(r -> problems.add(r.row().id() + ", " + r.label()
            + ", rep " + r.rep() + ": " + r.failure()));
        throughput(b);
        if (curve) {
            curve(b);
        }
        oneAtATime(b);
        goal(b);
        b.append("## Incomplete and failed runs\n\n");
        if (problems.isEmpty()) {
            b.append("None: in every run every member delivered every message cast in each measured window.\n\n");
        } else {
            problems.forEach(p -> b.append("- ").append(p).append('\n'));
            b.append('\n');
        }
        b.append("## Threads and sockets left after close\n\n");
        final List<String> leaks = runs.stream().filter(r -> r.leak() != null)
            .map(r -> "- " + r.row().id() + " " + r.label() + " rep " + r.rep() + ": " + r.leak()).toList();
        b.append(leaks.isEmpty() ? "None: after every run the JVM was back to its thread and file-descriptor count "
            + "from before it.\n" : String.join("\n", leaks) + "\n");
        return b.toString();
    }

    private void throughput(final StringBuilder b) {
        b.append("## Closed-loop throughput\n\n");
        b.append("Every member casts back to back; deliveries per second at each member (mean over members, in "
            + "thousands), payload MB/s per member, and process CPU time per delivery (all members' deliveries, "
            + "µs), and cores busy (process CPU time / window: well below the core count, the system was waiting, "
            + "not computing). Cells: min–median–max over repetitions; ratio = Cairn median / JGroups median.\n\n");
        b.append("| row | JGroups k/s | Cairn k/s | ratio | JGroups MB/s | Cairn MB/s | JGroups CPU µs | "
            + "Cairn CPU µs | CPU ratio | JGroups cores | Cairn cores |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Row row : rows) {
            final List<Run> j = runs(row, false);
            final List<Run> c = runs(row, true);
            if (Stream.concat(j.stream(), c.stream()).allMatch(r -> r.throughput() == null && r.failure() == null)) {
                continue;
            }
            final Function<Run, String> fail = r -> r.failure() != null ? r.failure()
                : r.throughput() == null ? "not run" : r.throughput().failure();
            final Cell jt = cell(j, "throughput", fail, r -> r.throughput().perMember() / 1e3);
            final Cell ct = cell(c, "throughput", fail, r -> r.throughput().perMember() / 1e3);
            final Cell jc = cell(j, null, fail, r -> r.throughput().cpuUsPerMsg());
            final Cell cc = cell(c, null, fail, r -> r.throughput().cpuUsPerMsg());
            b.append("| ").append(row.id()).append(" | ").append(jt.text("%.1f")).append(" | ")
                .append(ct.text("%.1f")).append(" | ").append(ratio(ct, jt)).append(" | ")
                .append(cell(j, null, fail, r -> r.throughput().mbPerSec()).text("%.1f")).append(" | ")
                .append(cell(c, null, fail, r -> r.throughput().mbPerSec()).text("%.1f")).append(" | ")
                .append(jc.text("%.2f")).append(" | ").append(cc.text("%.2f")).append(" | ").append(ratio(cc, jc))
                .append(" | ").append(cell(j, null, fail, r -> r.throughput().cores()).median("%.2f"))
                .append(" | ").append(cell(c, null, fail, r -> r.throughput().cores()).median("%.2f"))
                .append(" |\n");
            judge(row.id(), ratioValue(ct, jt), true, throughputMet, throughputShort);
        }
        b.append('\n');
    }

    private void curve(final StringBuilder b) {
        b.append("## Open-loop latency\n\n");
        b.append("Every member casts on a fixed schedule: load × that system's own closed-loop rate (same "
            + "repetition), split among the members. Latency: µs from the message's scheduled send time (not the "
            + "moment the cast happened, so a sender held up by back-pressure does not hide the wait) to its "
            + "delivery, at every member. k/s: deliveries/s per member achieved in the window / offered by the "
            + "schedule (thousands, medians). The two systems run at the same fraction of their own capacity, so "
            + "at different message rates when their capacities differ. Latency cells: min–median–max over "
            + "repetitions.\n\n");
        b.append("| row | load | JGroups k/s | JGroups p50 | JGroups p99 | JGroups p99.9 | Cairn k/s | Cairn p50 | "
            + "Cairn p99 | Cairn p99.9 | p50 ratio | p99 ratio | p99.9 ratio |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Row row : rows) {
            for (final double f : fractions) {
                final List<Run> j = runs(row, false);
                final List<Run> c = runs(row, true);
                if (j.isEmpty() && c.isEmpty()) {
                    continue;
                }
                final String mode = "open loop at " + f;
                final Function<Run, String> fail = r -> r.failure() != null ? r.failure()
                    : point(r, f) == null ? "not run (no closed-loop rate)" : point(r, f).failure();
                final Cell j50 = cell(j, mode, fail, r -> point(r, f).p50());
                final Cell j99 = cell(j, null, fail, r -> point(r, f).p99());
                final Cell j999 = cell(j, null, fail, r -> point(r, f).p999());
                final Cell c50 = cell(c, mode, fail, r -> point(r, f).p50());
                final Cell c99 = cell(c, null, fail, r -> point(r, f).p99());
                final Cell c999 = cell(c, null, fail, r -> point(r, f).p999());
                b.append("| ").append(row.id()).append(" | ").append(f).append(" | ")
                    .append(rate(cell(j, null, fail, r -> point(r, f).achieved() / 1e3),
                        cell(j, null, fail, r -> point(r, f).offered() / 1e3))).append(" | ")
                    .append(j50.text(null)).append(" | ").append(j99.text(null)).append(" | ")
                    .append(j999.text(null)).append(" | ")
                    .append(rate(cell(c, null, fail, r -> point(r, f).achieved() / 1e3),
                        cell(c, null, fail, r -> point(r, f).offered() / 1e3))).append(" | ")
                    .append(c50.text(null)).append(" | ").append(c99.text(null)).append(" | ")
                    .append(c999.text(null)).append(" | ").append(ratio(c50, j50)).append(" | ")
                    .append(ratio(c99, j99)).append(" | ").append(ratio(c999, j999)).append(" |\n");
                judge(row.id() + " at " + f + " p99", ratioValue(c99, j99), false, latencyMet, latencyShort);
            }
        }
        b.append('\n');
    }

    private void oneAtATime(final StringBuilder b) {
        b.append("## One at a time\n\n");
        b.append("Member m0 casts one message and waits until every member delivered it, then the next. µs from "
            + "the cast to each member's delivery (p50, p99), and to the last member's (\"all\"). Cells: "
            + "min–median–max over repetitions.\n\n");
        b.append("| row | JGroups p50 | JGroups p99 | JGroups all p50 | Cairn p50 | Cairn p99 | Cairn all p50 | "
            + "p50 ratio | p99 ratio |\n|---|---|---|---|---|---|---|---|---|\n");
        for (final Row row : rows) {
            final List<Run> j = runs(row, false);
            final List<Run> c = runs(row, true);
            if (Stream.concat(j.stream(), c.stream()).allMatch(r -> r.oneAtATime() == null && r.failure() == null)) {
                continue;
            }
            final Function<Run, String> fail = r -> r.failure() != null ? r.failure()
                : r.oneAtATime() == null ? "not run" : r.oneAtATime().failure();
            final Cell j50 = cell(j, "one at a time", fail, r -> r.oneAtATime().p50());
            final Cell j99 = cell(j, null, fail, r -> r.oneAtATime().p99());
            final Cell c50 = cell(c, "one at a time", fail, r -> r.oneAtATime().p50());
            final Cell c99 = cell(c, null, fail, r -> r.oneAtATime().p99());
            b.append("| ").append(row.id()).append(" | ").append(j50.text(null)).append(" | ")
                .append(j99.text(null)).append(" | ")
                .append(cell(j, null, fail, r -> r.oneAtATime().allP50()).text(null)).append(" | ")
                .append(c50.text(null)).append(" | ").append(c99.text(null)).append(" | ")
                .append(cell(c, null, fail, r -> r.oneAtATime().allP50()).text(null)).append(" | ")
                .append(ratio(c50, j50)).append(" | ").append(ratio(c99, j99)).append(" |\n");
            judge(row.id() + " one at a time p50", ratioValue(c50, j50), false, latencyMet, latencyShort);
            judge(row.id() + " one at a time p99", ratioValue(c99, j99), false, latencyMet, latencyShort);
        }
        b.append('\n');
    }

    private static void judge(final String what, final double ratio, final boolean higherIsBetter,
                              final List<String> met, final List<String> shortOf) {
        if (Double.isNaN(ratio)) {
            return;
        }
        final boolean ok = higherIsBetter ? ratio >= 2 : ratio <= 0.5;
        (ok ? met : shortOf).add(what + " (" + String.format(Locale.ROOT, "%.2f", ratio) + ")");
    }

    /**
     * Which rows of this run meet the goal (Cairn at least 2x JGroups' throughput, at most 0.5x its
     * latency) and which fall short, then why the short ones do and what it would take ({@code goal.md}, kept
     * by hand beside this class: the reasons come from profiles, not from this run).
     */
    private void goal(final StringBuilder b) {
        b.append("## Against the goal\n\n");
        b.append("The goal: Cairn's median at least 2x JGroups' in throughput, and at most 0.5x in latency (every "
            + "open-loop p99, and one at a time p50 and p99). Ratios as in the tables.\n\n");
        b.append("- Throughput, met in ").append(throughputMet.size()).append(" of ")
            .append(throughputMet.size() + throughputShort.size()).append(" rows: ")
            .append(list(throughputMet)).append("\n");
        b.append("- Throughput, short in: ").append(list(throughputShort)).append("\n");
        b.append("- Latency, met in ").append(latencyMet.size()).append(" of ")
            .append(latencyMet.size() + latencyShort.size()).append(" measurements: ")
            .append(list(latencyMet)).append("\n");
        b.append("- Latency, short in: ").append(list(latencyShort)).append("\n\n");
        try (java.io.InputStream in = Report.class.getResourceAsStream("goal.md")) {
            b.append(new String(Objects.requireNonNull(in, "goal.md").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String list(final List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }

    private List<Run> runs(final Row row, final boolean cairn) {
        return runs.stream().filter(r -> r.row().equals(row) && r.cairn() == cairn).toList();
    }

    private static CurvePoint point(final Run r, final double f) {
        return r.curve() == null ? null : r.curve().stream().filter(p -> p.fraction() == f).findFirst().orElse(null);
    }

    /**
     * @param mode names the measurement in the list of problems; null: do not list (another cell of the same
     *             measurement does)
     * @param fail why a run's measurement has no number, null when it has one
     */
    private Cell cell(final List<Run> rs, final String mode, final Function<Run, String> fail,
                      final ToDoubleFunction<Run> value) {
        final List<Double> ok = new ArrayList<>();
        int failed = 0;
        for (final Run r : rs) {
            final String why = fail.apply(r);
            if (why == null) {
                ok.add(value.applyAsDouble(r));
            } else {
                failed++;
                if (mode != null && r.failure() == null) {
                    problems.add(r.row().id() + ", " + r.label() + ", rep " + r.rep() + ", " + mode + ": " + why);
                }
            }
        }
        return new Cell(ok.stream().mapToDouble(Double::doubleValue).sorted().toArray(), failed, rs.size());
    }

    /** @return Cairn's median / JGroups' median, NaN when either has no number */
    private static double ratioValue(final Cell cairn, final Cell jgroups) {
        if (cairn.values.length == 0 || jgroups.values.length == 0 || jgroups.median() == 0) {
            return Double.NaN;
        }
        return cairn.median() / jgroups.median();
    }

    private static String ratio(final Cell cairn, final Cell jgroups) {
        final double r = ratioValue(cairn, jgroups);
        if (Double.isNaN(r)) {
            return "–";
        }
        return String.format(Locale.ROOT, r >= 10 ? "%.1f" : r >= 0.1 ? "%.2f" : "%.3f", r);
    }

    private static String rate(final Cell achieved, final Cell offered) {
        return achieved.values.length == 0 ? achieved.median("%.1f")
            : achieved.median("%.1f") + " / " + offered.median("%.1f");
    }

    /** Values of one measurement over the repetitions that completed. */
    private record Cell(double[] values, int failed, int runs) {
        double median() {
            final int m = values.length / 2;
            return values.length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
        }

        /** @param format number format; null: latency in µs, one decimal below 100 */
        String text(final String format) {
            if (runs == 0) {
                return "–";
            }
            if (values.length == 0) {
                return "incomplete";
            }
            final double[] shown = values.length == 1 ? new double[] {values[0]}
                : new double[] {values[0], median(), values[values.length - 1]};
            final String nums = String.join("–", Arrays.stream(shown).mapToObj(v -> num(format, v)).toList());
            return failed == 0 ? nums : nums + " (" + failed + " of " + runs + " incomplete)";
        }

        String median(final String format) {
            return values.length == 0 ? (runs == 0 ? "–" : "incomplete") : num(format, median());
        }

        private static String num(final String format, final double v) {
            return String.format(Locale.ROOT, Objects.requireNonNullElse(format, v < 100 ? "%.1f" : "%.0f"), v);
        }
    }
}
