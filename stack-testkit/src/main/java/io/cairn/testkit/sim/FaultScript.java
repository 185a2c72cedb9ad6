package io.cairn.testkit.sim;

import io.cairn.testkit.sim.FaultSchedule.Action;
import io.cairn.testkit.sim.FaultSchedule.ClockChange;
import io.cairn.testkit.sim.FaultSchedule.Kind;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault-script format of {@code cairn simulate --faults FILE}: one action per line, {@code #} starts a comment,
 * blank lines are ignored. A line is a time from the start of the run, a kind, then its arguments; members are
 * indexes (0 = the first member), durations and sizes are HOCON-like ({@code 250us}, {@code 50ms}, {@code 1.5s},
 * {@code 2m}; {@code 100KB}, {@code 1MiB}), probabilities are {@code 0.5} or {@code 50%}.
 * <pre>
 * # frames m0 -&gt; m1 delayed 1.5 s from 50 ms to 2 s
 * 50ms  link 0&gt;1 delay=1500ms          one direction; 0-1 = both directions; "clear" restores
 * 2s    link 0&gt;1 clear
 * 0s    links loss=0.1 dup=0.05        every link (reorder=, reorder-delay=, delay=, jitter=, burst= too)
 * 1.2s  leave 0                        graceful leave (crash, restart, pause, resume, no-rejoin, hang alike)
 * 4s    partition 0,1 | 2,3,4          sides; unlisted members form one more side
 * 6s    heal
 * 0s    loopback 3 loss=0.5 delay=2ms  the member's own copies; "clear" restores
 * 0s    clock 4 offset=288s rate=1.1   offset= from simulator time, jump= from the current reading, rate=
 * 0s    slow-consumer 1 1MB/s          its application consumes at this rate
 * 5s    reset 0-1 down=300ms           the connection breaks, in-flight frames are lost, reconnects after down
 * 3s    forge 2 20                     20 frames forged from captured ones are injected into member 2 (F17)
 * 7s    replay 1 50                    50 captured frames are injected into member 1 again (F18)
 * </pre>
 * Actions at the same time run in the order written. {@link FaultSchedule#toScript()} writes this format back.
 */
public final class FaultScript {
    /** Down time of a {@code reset} without {@code down=}: the TCP and RDMA transports' {@code reconnect-min}. */
    public static final long DEFAULT_RESET_DOWN_NS = 100_000_000L;

    private static final Pattern NUMBER_UNIT = Pattern.compile("([-+]?[0-9]*\\.?[0-9]+)\\s*([a-zA-Zµ]*)");
    private static final Map<String, Long> TIME_UNITS = new LinkedHashMap<>();
    private static final Map<String, Long> SIZE_UNITS = new LinkedHashMap<>();
    private static final List<String> LINK_KEYS = List.of("loss", "dup", "reorder", "reorder-delay", "delay",
        "jitter", "burst");
    private static final String KINDS = "links, link, partition, heal, crash, restart, leave, pause, resume, "
        + "loopback, reset, clock, no-rejoin, slow-consumer, forge, replay, hang";

    static {
        TIME_UNITS.put("ns", 1L);
        TIME_UNITS.put("us", 1_000L);
        TIME_UNITS.put("µs", 1_000L);
        TIME_UNITS.put("ms", 1_000_000L);
        TIME_UNITS.put("s", 1_000_000_000L);
        TIME_UNITS.put("m", 60_000_000_000L);
        TIME_UNITS.put("min", 60_000_000_000L);
        TIME_UNITS.put("h", 3_600_000_000_000L);
        SIZE_UNITS.put("", 1L);
        SIZE_UNITS.put("B", 1L);
        for (final String k : List.of("kB", "KB")) {
            SIZE_UNITS.put(k, 1_000L);
        }
        for (final String k : List.of("K", "k", "Ki", "KiB")) {
            SIZE_UNITS.put(k, 1L << 10);
        }
        SIZE_UNITS.put("MB", 1_000_000L);
        for (final String k : List.of("M", "Mi", "MiB")) {
            SIZE_UNITS.put(k, 1L << 20);
        }
        SIZE_UNITS.put("GB", 1_000_000_000L);
        for (final String k : List.of("G", "Gi", "GiB")) {
            SIZE_UNITS.put(k, 1L << 30);
        }
    }

    /** What is wrong with a line, and the fix; becomes a {@link FaultScriptException} with the line's position. */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String fix;

        Bad(final String problem, final String fix) {
            super(problem, null, false, false);
            this.fix = fix;
        }
    }

    private FaultScript() {
    }

    /**
     * @param file    a fault script
     * @param members group size, to check member indexes (0: unchecked)
     * @return the schedule
     * @throws IOException          when the file cannot be read
     * @throws FaultScriptException naming the file, line, text and fix
     */
    public static FaultSchedule read(final Path file, final int members) throws IOException {
        return parse(file.toString(), Files.readString(file), members);
    }

    /**
     * @param source  name for error messages (the file)
     * @param text    the script
     * @param members group size, to check member indexes (0: unchecked)
     * @return the schedule
     * @throws FaultScriptException naming the source, line, text and fix
     */
    public static FaultSchedule parse(final String source, final String text, final int members) {
        final List<Action> out = new ArrayList<>();
        final String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            final String raw = lines[i];
            final int hash = raw.indexOf('#');
            final String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.addAll(parseLine(line, members));
            } catch (final Bad b) {
                throw new FaultScriptException(source, i + 1, raw, b.getMessage(), b.fix);
            } catch (final IllegalArgumentException e) {
                throw new FaultScriptException(source, i + 1, raw, e.getMessage(),
                    "see the format in README.md, section \"Simulation and checking\"");
            }
        }
        return new FaultSchedule(out);
    }

    private static List<Action> parseLine(final String line, final int members) {
        final String[] tok = line.split("\\s+");
        if (tok.length < 2) {
            throw new Bad("a line needs a time and a kind", "write e.g. '50ms link 0>1 delay=1500ms' or '3s crash 2'");
        }
        final long at = duration(tok[0], "time");
        if (at < 0) {
            throw new Bad("time '" + tok[0] + "' is negative", "times count from the start of the run: 0s or later");
        }
        final String kind = tok[1].toLowerCase(Locale.ROOT);
        final String[] args = Arrays.copyOfRange(tok, 2, tok.length);
        return switch (kind) {
            case "links" -> List.of(Action.links(at, conditions(kind, args, 0, LinkConditions.CLEAN, false)));
            case "link" -> link(at, args, members);
            case "loopback" -> List.of(Action.loopback(at, member(kind, args, members),
                conditions(kind, args, 1, LinkConditions.NONE, true)));
            case "partition" -> List.of(partition(at, String.join(" ", args), members));
            case "heal" -> {
                none(kind, args, 0);
                yield List.of(Action.heal(at));
            }
            case "crash", "restart", "leave", "pause", "resume", "no-rejoin", "hang" -> {
                if (args.length == 0) {
                    throw new Bad(kind + " needs a member", "write e.g. '" + tok[0] + " " + kind + " 2'");
                }
                final List<Action> acts = new ArrayList<>();
                for (final String a : args) {
                    acts.add(Action.on(at, Kind.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_')),
                        index(a, members)));
                }
                yield acts;
            }
            case "reset" -> List.of(reset(at, args, members));
            case "clock" -> List.of(clock(at, args, members));
            case "slow-consumer" -> List.of(slowConsumer(at, args, members));
            case "forge", "replay" -> List.of(inject(at, kind, args, members));
            default -> throw new Bad("unknown kind '" + tok[1] + "'", "use one of " + KINDS);
        };
    }

    private static List<Action> link(final long at, final String[] args, final int members) {
        if (args.length == 0) {
            throw new Bad("link needs a link", "write A>B for frames from A to B, or A-B for both directions, e.g. "
                + "'link 0>1 delay=1500ms'");
        }
        final String spec = args[0];
        final boolean both = spec.contains("-") || spec.contains("<>");
        final String[] ends = spec.split("<>|>|-", -1);
        if (ends.length != 2 || !ends[0].matches("\\d+") || !ends[1].matches("\\d+")) {
            throw new Bad("'" + spec + "' is not a link", "write A>B (frames from A to B) or A-B (both directions)");
        }
        final int a = index(ends[0], members);
        final int b = index(ends[1], members);
        if (a == b) {
            throw new Bad("link " + spec + " connects a member to itself", "use 'loopback " + a + " ...' for its "
                + "own copies");
        }
        final LinkConditions c = conditions("link", args, 1, LinkConditions.CLEAN, true);
        return both ? List.of(Action.link(at, a, b, c), Action.link(at, b, a, c)) : List.of(Action.link(at, a, b, c));
    }

    private static Action partition(final long at, final String spec, final int members) {
        if (spec.isBlank()) {
            throw new Bad("partition needs its sides", "write e.g. 'partition 0,1 | 2,3,4' (unlisted members form "
                + "one more side)");
        }
        if (spec.strip().equals("none")) {
            return new Action(at, Kind.PARTITION, List.of(), null);
        }
        final List<List<Integer>> sides = new ArrayList<>();
        final List<Integer> seen = new ArrayList<>();
        for (final String side : spec.split("\\|", -1)) {
            final List<Integer> s = new ArrayList<>();
            for (final String m : side.strip().split("\\s*,\\s*|\\s+")) {
                if (m.isEmpty()) {
                    throw new Bad("empty side in '" + spec + "'", "list members separated by commas, sides by |, "
                        + "e.g. 'partition 0,1 | 2,3,4'");
                }
                final int i = index(m, members);
                if (seen.contains(i)) {
                    throw new Bad("member " + i + " is on two sides", "name each member at most once");
                }
                seen.add(i);
                s.add(i);
            }
            sides.add(s);
        }
        return Action.partition(at, sides);
    }

    private static Action reset(final long at, final String[] args, final int members) {
        final String fix = "write e.g. 'reset 0-1' or 'reset 0-1 down=300ms' (the link between 0 and 1 breaks "
            + "both ways and reconnects after down, default 100ms)";
        if (args.length == 0 || !args[0].contains("-")) {
            throw new Bad("reset needs a link A-B", fix);
        }
        final String[] ends = args[0].split("-", -1);
        if (ends.length != 2 || !ends[0].matches("\\d+") || !ends[1].matches("\\d+")) {
            throw new Bad("'" + args[0] + "' is not a link", fix);
        }
        final int a = index(ends[0], members);
        final int b = index(ends[1], members);
        if (a == b) {
            throw new Bad("reset " + args[0] + " connects a member to itself", fix);
        }
        long down = DEFAULT_RESET_DOWN_NS;
        for (final Map.Entry<String, String> kv : keyValues("reset", args, 1, List.of("down")).entrySet()) {
            down = duration(kv.getValue(), "down");
            if (down < 0) {
                throw new Bad("down=" + kv.getValue() + " is negative", "a link stays down for 0s or longer");
            }
        }
        return Action.reset(at, a, b, down);
    }

    private static Action clock(final long at, final String[] args, final int members) {
        final String fix = "write e.g. 'clock 4 offset=288s rate=1.1' or 'clock 4 jump=-2s' (offset= from "
            + "simulator time, jump= from the current reading, rate= its speed, 1 = simulator time)";
        final int m = member("clock", args, members);
        final Map<String, String> kv = keyValues("clock", args, 1, List.of("offset", "jump", "rate"));
        if (kv.isEmpty()) {
            throw new Bad("clock needs offset=, jump= or rate=", fix);
        }
        double rate = Double.NaN;
        if (kv.containsKey("rate")) {
            rate = number(kv.get("rate"), "rate");
            if (!(rate > 0 && rate <= 1000)) {
                throw new Bad("rate=" + kv.get("rate") + " is out of range", "a clock's rate is in (0, 1000], e.g. "
                    + "0.9 or 1.1");
            }
        }
        final boolean setsOffset = kv.containsKey("offset");
        return Action.clock(at, m, new ClockChange(setsOffset, setsOffset ? duration(kv.get("offset"), "offset") : 0,
            kv.containsKey("jump") ? duration(kv.get("jump"), "jump") : 0, rate));
    }

    private static Action slowConsumer(final long at, final String[] args, final int members) {
        final String fix = "write e.g. 'slow-consumer 1 1MB/s' (bytes of payload per second: 500KB/s, 1MiB/s, "
            + "20000)";
        final int m = member("slow-consumer", args, members);
        if (args.length != 2) {
            throw new Bad("slow-consumer needs a member and one rate", fix);
        }
        final String v = args[1].startsWith("rate=") ? args[1].substring(5) : args[1];
        final long rate;
        try {
            rate = rate(v);
        } catch (final IllegalArgumentException e) {
            throw new Bad(e.getMessage(), fix);
        }
        if (rate <= 0) {
            throw new Bad("rate " + v + " must be > 0", fix);
        }
        return Action.slowConsumer(at, m, rate);
    }

    private static Action inject(final long at, final String kind, final String[] args, final int members) {
        final String fix = "write e.g. '" + kind + " 1 20' (a member, then a number of frames)";
        final int m = member(kind, args, members);
        if (args.length != 2) {
            throw new Bad(kind + " needs a member and a number of frames", fix);
        }
        final long frames;
        try {
            frames = Long.parseLong(args[1]);
        } catch (final NumberFormatException e) {
            throw new Bad("'" + args[1] + "' is not a number of frames", fix);
        }
        if (frames <= 0 || frames > 100_000) {
            throw new Bad("number of frames " + frames + " must be from 1 to 100000", fix);
        }
        return Action.inject(at, "forge".equals(kind) ? FaultSchedule.Kind.FORGE : FaultSchedule.Kind.REPLAY, m,
            frames);
    }

    private static void none(final String kind, final String[] args, final int from) {
        if (args.length > from) {
            throw new Bad("unexpected '" + args[from] + "' after " + kind, "'" + kind + "' takes no argument there");
        }
    }

    private static int member(final String kind, final String[] args, final int members) {
        if (args.length == 0) {
            throw new Bad(kind + " needs a member index", "write e.g. '0s " + kind + " 1 ...'");
        }
        return index(args[0], members);
    }

    private static int index(final String s, final int members) {
        final int i;
        try {
            i = Integer.parseInt(s.strip());
        } catch (final NumberFormatException e) {
            throw new Bad("'" + s + "' is not a member index", "members are numbered from 0"
                + (members > 0 ? " to " + (members - 1) : ""));
        }
        if (i < 0 || members > 0 && i >= members) {
            throw new Bad("member " + i + " does not exist in a group of " + members, "members are numbered from 0"
                + (members > 0 ? " to " + (members - 1) : ""));
        }
        return i;
    }

    private static Map<String, String> keyValues(final String kind, final String[] args, final int from,
                                                 final List<String> keys) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            final int eq = args[i].indexOf('=');
            if (eq <= 0 || eq == args[i].length() - 1) {
                throw new Bad("expected key=value, got '" + args[i] + "'", kind + " takes " + String.join("=, ", keys)
                    + "=, without spaces around =");
            }
            final String k = args[i].substring(0, eq).toLowerCase(Locale.ROOT);
            if (!keys.contains(k)) {
                throw new Bad("unknown key '" + k + "' for " + kind, kind + " takes " + String.join("=, ", keys) + "=");
            }
            if (out.put(k, args[i].substring(eq + 1)) != null) {
                throw new Bad(k + "= given twice", "give each key once");
            }
        }
        return out;
    }

    /** Link conditions from {@code key=value}s over {@code base}, or null for {@code clear} (if allowed). */
    private static LinkConditions conditions(final String kind, final String[] args, final int from,
                                             final LinkConditions base, final boolean clearable) {
        if (args.length == from + 1 && (args[from].equals("clear") || args[from].equals("clean"))) {
            return args[from].equals("clear") && clearable ? null : base;
        }
        if (args.length == from) {
            throw new Bad(kind + " needs conditions", "give " + String.join("=, ", LINK_KEYS) + "="
                + (clearable ? ", or 'clear' to restore" : ", or 'clean'"));
        }
        LinkConditions c = base;
        for (final Map.Entry<String, String> kv : keyValues(kind, args, from, LINK_KEYS).entrySet()) {
            final String v = kv.getValue();
            c = switch (kv.getKey()) {
                case "loss" -> c.withBurstLoss(probability(v, "loss"), c.lossCorrelation());
                case "burst" -> c.withBurstLoss(c.loss(), probability(v, "burst"));
                case "dup" -> c.withDuplicate(probability(v, "dup"));
                case "reorder" -> c.withReorder(probability(v, "reorder"), c.reorderDelayNs());
                case "reorder-delay" -> c.withReorder(c.reorder(), nonNegative(v, "reorder-delay"));
                case "delay" -> c.withDelay(nonNegative(v, "delay"), c.jitterNs());
                default -> c.withDelay(c.delayNs(), nonNegative(v, "jitter"));
            };
        }
        return c;
    }

    private static long nonNegative(final String v, final String key) {
        final long ns = duration(v, key);
        if (ns < 0) {
            throw new Bad(key + "=" + v + " is negative", key + " is a duration of 0s or more, e.g. 1500ms");
        }
        return ns;
    }

    private static double probability(final String v, final String key) {
        final double p = v.endsWith("%") ? number(v.substring(0, v.length() - 1), key) / 100 : number(v, key);
        if (!(p >= 0 && p <= 1)) {
            throw new Bad(key + "=" + v + " is not a probability", key + " is in [0, 1] (or 0% to 100%), e.g. "
                + key + "=0.5");
        }
        return p;
    }

    private static double number(final String v, final String key) {
        try {
            return Double.parseDouble(v);
        } catch (final NumberFormatException e) {
            throw new Bad(key + "=" + v + " is not a number", "write e.g. " + key + "=1.1");
        }
    }

    private static long duration(final String v, final String what) {
        try {
            return parseDuration(v);
        } catch (final IllegalArgumentException e) {
            throw new Bad(("time".equals(what) ? "time " : what + "=") + v + ": " + e.getMessage(),
                "write a duration with a unit: 250us, 50ms, 1.5s, 2m");
        }
    }

    /**
     * @param s a duration with a unit (ns, us, ms, s, m or min, h), e.g. {@code 1.5s}; {@code 0} needs none
     * @return nanoseconds
     * @throws IllegalArgumentException when it is not one
     */
    public static long parseDuration(final String s) {
        final Matcher m = NUMBER_UNIT.matcher(s.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        final String unit = m.group(2);
        final Long scale = unit.isEmpty() ? null : TIME_UNITS.get(unit);
        if (scale == null) {
            if (unit.isEmpty() && new BigDecimal(m.group(1)).signum() == 0) {
                return 0;
            }
            throw new IllegalArgumentException(unit.isEmpty() ? "no unit" : "unknown unit '" + unit + "'");
        }
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(scale)).setScale(0,
            java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * @param s bytes per second: a size with an optional {@code /s}, e.g. {@code 1MB/s}, {@code 500KiB/s},
     *          {@code 20000} (HOCON units: kB = 1000, K = KiB = 1024, MB = 10^6, M = MiB = 2^20; KB = 1000)
     * @return bytes per second
     * @throws IllegalArgumentException when it is not one
     */
    public static long rate(final String s) {
        final String v = s.strip().endsWith("/s") ? s.strip().substring(0, s.strip().length() - 2) : s.strip();
        final Matcher m = NUMBER_UNIT.matcher(v);
        final Long scale = m.matches() ? SIZE_UNITS.get(m.group(2)) : null;
        if (scale == null) {
            throw new IllegalArgumentException("'" + s + "' is not a rate in bytes per second");
        }
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(scale)).setScale(0,
            java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * @param ns nanoseconds
     * @return the shortest exact form: {@code 0s}, {@code 50ms}, {@code 1.5s}, {@code 250us}, {@code 7ns}
     */
    static String duration(final long ns) {
        if (ns == 0) {
            return "0s";
        }
        if (ns % 1_000_000L == 0) {
            return Math.abs(ns) >= 1_000_000_000L ? BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString() + "s"
                : ns / 1_000_000L + "ms";
        }
        return ns % 1_000L == 0 ? ns / 1_000L + "us" : ns + "ns";
    }

    /**
     * @param d a number
     * @return it without trailing zeros
     */
    static String number(final double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
