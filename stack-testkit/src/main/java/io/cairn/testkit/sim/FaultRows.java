package io.cairn.testkit.sim;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Rows of the fault matrix (CORRECTNESS.md section 2) as seeded schedules, so a test can iterate over rows and
 * seeds, and {@code cairn simulate --fault-row F20} can run one:
 * <pre>
 * for (String row : FaultRows.IDS) { FaultSchedule s = FaultRows.row(row, seed, 5, 3_000_000_000L); ... }
 * </pre>
 * Every row takes the seed, the group size and the span of the workload (faults start within it). The failure
 * detector's bound is {@link FaultGenerator#DEFAULT_FD_TIMEOUT_NS}.
 */
public final class FaultRows {
    /** Row ids accepted by {@link #row}. */
    public static final List<String> IDS = List.of("F11", "F20", "F21", "F22", "F23", "F24", "F25", "hang", "mixed");
    /**
     * Attack rows, also accepted by {@link #row}: forged frames (F17) and replays (F18). Not in {@link #IDS}: a stack
     * without the {@code encrypt} layer has no defence against forgeries, so the matrix of every stack leaves them
     * out; {@code SecureStackProperties} runs them.
     */
    public static final List<String> ATTACKS = List.of("F17", "F18");

    /** Consumption rate of F25's slow member: about a tenth of the default workload's delivery rate per member. */
    public static final long F25_SLOW_BYTES_PER_SECOND = 20_000L;

    private FaultRows() {
    }

    /** How many of something a row has, from the seed but independent of the generator's own choices. */
    private static int count(final long seed, final int salt, final int min, final int max) {
        return min + new SplittableRandom(seed * 31 + salt).nextInt(max - min + 1);
    }

    /**
     * F11 clock faults: every member's clock starts up to ±288 s off simulator time at a rate of 0.9–1.1, and once
     * during the run changes rate and steps by up to ±100 ms.
     *
     * @param seed    seed
     * @param n       group size
     * @param spanNs  span of the workload
     * @return the schedule
     */
    public static FaultSchedule f11(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).clockSkews(n).generate();
    }

    /**
     * F20 one-way slow link: 1–2 directions of links delayed beyond the FD timeout, then healed.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f20(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).slowLinks(count(seed, 20, 1, 2)).generate();
    }

    /**
     * F21 asymmetric loss: 1–2 windows of 0.2–5 s in which 1–3 directed links drop 50–100 % (no effect over a
     * reliable transport).
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f21(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).lossBursts(count(seed, 21, 1, 2)).generate();
    }

    /**
     * F22 lossy / slow loopback: 1–2 windows in which a member's own copies are lost (unreliable transports) and
     * delayed.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f22(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).lossyLoopbacks(count(seed, 22, 1, 2)).generate();
    }

    /**
     * F23 connection reset: 1–3 links break, losing their frames in flight, and reconnect 0.1–1 s later.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f23(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).resets(count(seed, 23, 1, 3)).generate();
    }

    /**
     * F24 leave under load: 1 to a minority of members leave; in half the seeds the first is member 0 (founder,
     * coordinator, sequencer).
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f24(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).leaves(count(seed, 24, 1, Math.max(1, (n - 1) / 2)))
            .coordinatorLeaves(count(seed, 240, 0, 1) == 1).generate();
    }

    /**
     * F25 slow consumer and churn, at {@link #F25_SLOW_BYTES_PER_SECOND}.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f25(final long seed, final int n, final long spanNs) {
        return f25(seed, n, spanNs, F25_SLOW_BYTES_PER_SECOND);
    }

    /**
     * F25 slow consumer and churn: one member consumes at {@code bytesPerSecond} from the start, 1–2 crash/restart
     * pairs and a leave followed by a rejoin as a new incarnation.
     *
     * @param seed           seed
     * @param n              group size
     * @param spanNs         span of the workload
     * @param bytesPerSecond the slow member's consumption rate
     * @return the schedule
     */
    public static FaultSchedule f25(final long seed, final int n, final long spanNs, final long bytesPerSecond) {
        return FaultGenerator.of(seed, n, spanNs).slowConsumer(bytesPerSecond).crashRestarts(count(seed, 25, 1, 2))
            .leaves(1).rejoinAfterLeave(true).generate();
    }

    /**
     * F17 forged frames: 5–10 bursts of 10–50 frames forged from captured ones (spoofed senders, changed views,
     * flags, layer ids and bodies, unsealed copies) injected into random members, across a crash/restart and a
     * leave/rejoin so that they span views. Only a stack that authenticates frames ({@code encrypt}) is expected
     * to pass: to any other, a frame with a member's key in its header is that member's. Not in {@link #IDS}.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f17(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).crashRestarts(1).leaves(1).rejoinAfterLeave(true)
            .forgeries(count(seed, 17, 5, 10)).generate();
    }

    /**
     * F18 replays: 5–10 bursts of 10–50 frames captured earlier (any view so far) injected again into random
     * members, across a crash/restart and a leave/rejoin, so that frames of earlier views and incarnations come back.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule f18(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).crashRestarts(1).leaves(1).rejoinAfterLeave(true)
            .replays(count(seed, 18, 5, 10)).generate();
    }

    /**
     * Everything at once: 2 partitions (short and long), a slow link, a loss burst, a lossy loopback, 2 clock
     * skews, 2 resets, a crash/restart and a leave of any member.
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule mixed(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).partitions(2).slowLinks(1).lossBursts(1).lossyLoopbacks(1)
            .clockSkews(2).resets(2).crashRestarts(1).leaves(1).generate();
    }

    /**
     * Hung stacks: 1 to a minority of members have one group's stack hang silently for good (a listener that never
     * returns) while the process runs on; half are restarted later. With several groups per host and shared
     * failure detection, the node's other groups keep the peer's shared record fresh: the row shows the group still
     * excludes its hung stack ({@link FaultSchedule.Kind#HANG}).
     *
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return the schedule
     */
    public static FaultSchedule hang(final long seed, final int n, final long spanNs) {
        return FaultGenerator.of(seed, n, spanNs).hangs(count(seed, 26, 1, Math.max(1, (n - 1) / 2))).generate();
    }

    /**
     * @param id     one of {@link #IDS} (case-insensitive)
     * @param seed   seed
     * @param n      group size
     * @param spanNs span of the workload
     * @return that row's schedule
     * @throws IllegalArgumentException for an unknown id
     */
    public static FaultSchedule row(final String id, final long seed, final int n, final long spanNs) {
        return switch (id.toUpperCase(Locale.ROOT)) {
            case "F11" -> f11(seed, n, spanNs);
            case "F17" -> f17(seed, n, spanNs);
            case "F18" -> f18(seed, n, spanNs);
            case "F20" -> f20(seed, n, spanNs);
            case "F21" -> f21(seed, n, spanNs);
            case "F22" -> f22(seed, n, spanNs);
            case "F23" -> f23(seed, n, spanNs);
            case "F24" -> f24(seed, n, spanNs);
            case "F25" -> f25(seed, n, spanNs);
            case "HANG" -> hang(seed, n, spanNs);
            case "MIXED" -> mixed(seed, n, spanNs);
            default -> throw new IllegalArgumentException("unknown fault row '" + id + "': use one of " + IDS
                + " or " + ATTACKS);
        };
    }
}
