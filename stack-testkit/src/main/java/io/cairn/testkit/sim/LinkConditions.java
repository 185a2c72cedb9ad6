package io.cairn.testkit.sim;

/**
 * How the simulated network treats frames on a link: between two different members (network-wide with
 * {@link FaultSchedule.Kind#LINKS}, one direction of one link with {@link FaultSchedule.Kind#LINK}), or a member's
 * own loopback copies ({@link FaultSchedule.Kind#LOOPBACK}; without one, loopback is immediate and lossless, as a
 * kernel's is). On a transport that provides {@code reliable} (tcp, rdma) the network never loses, duplicates or
 * reorders frames: only the delays apply.
 *
 * @param loss          probability a frame is dropped
 * @param duplicate     probability a frame is delivered twice
 * @param reorder       probability a frame gets an extra delay of up to {@code reorderDelayNs} (so later frames
 *                      overtake it)
 * @param delayNs       base one-way latency
 * @param jitterNs      uniform extra latency in [0, jitterNs)
 * @param reorderDelayNs the extra delay of a reordered frame
 * @param lossCorrelation probability that a frame is lost given that the previous frame on the same link was
 *                      (bursty loss, Gilbert model); 0 for independent loss
 */
public record LinkConditions(double loss, double duplicate, double reorder, long delayNs, long jitterNs,
                             long reorderDelayNs, double lossCorrelation) {
    /** 200 us latency with 100 us jitter, no faults. */
    public static final LinkConditions CLEAN = new LinkConditions(0, 0, 0, 200_000, 100_000, 5_000_000, 0);

    /** No latency and no faults: the base of a loopback override. */
    public static final LinkConditions NONE = new LinkConditions(0, 0, 0, 0, 0, 5_000_000, 0);

    /** Validates the probabilities and times. */
    public LinkConditions {
        check(loss, "loss");
        check(duplicate, "duplicate");
        check(reorder, "reorder");
        check(lossCorrelation, "lossCorrelation");
        if (delayNs < 0 || jitterNs < 0 || reorderDelayNs < 0) {
            throw new IllegalArgumentException("delays must be >= 0");
        }
    }

    private static void check(final double p, final String name) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1]: " + p);
        }
    }

    /**
     * @param p loss probability
     * @return a copy with that loss
     */
    public LinkConditions withLoss(final double p) {
        return new LinkConditions(p, duplicate, reorder, delayNs, jitterNs, reorderDelayNs, lossCorrelation);
    }

    /**
     * @param p duplication probability
     * @return a copy with that duplication
     */
    public LinkConditions withDuplicate(final double p) {
        return new LinkConditions(loss, p, reorder, delayNs, jitterNs, reorderDelayNs, lossCorrelation);
    }

    /**
     * @param p reorder probability
     * @return a copy with that reordering
     */
    public LinkConditions withReorder(final double p) {
        return new LinkConditions(loss, duplicate, p, delayNs, jitterNs, reorderDelayNs, lossCorrelation);
    }

    /**
     * @param delay  base latency
     * @param jitter jitter
     * @return a copy with those delays
     */
    public LinkConditions withDelay(final long delay, final long jitter) {
        return new LinkConditions(loss, duplicate, reorder, delay, jitter, reorderDelayNs, lossCorrelation);
    }

    /**
     * @param p          average loss probability
     * @param correlation probability of losing the next frame after a loss
     * @return a copy with bursty loss
     */
    public LinkConditions withBurstLoss(final double p, final double correlation) {
        return new LinkConditions(p, duplicate, reorder, delayNs, jitterNs, reorderDelayNs, correlation);
    }

    /**
     * @param p       probability that a frame is held back
     * @param delayNs up to how long (later frames overtake it)
     * @return a copy with that reordering
     */
    public LinkConditions withReorder(final double p, final long delayNs) {
        return new LinkConditions(loss, duplicate, p, this.delayNs, jitterNs, delayNs, lossCorrelation);
    }

    /**
     * One direction of a link, or a loopback, slowed down: {@link #CLEAN} with this base latency.
     *
     * @param delayNs base one-way latency
     * @return the conditions
     */
    public static LinkConditions delayed(final long delayNs) {
        return CLEAN.withDelay(delayNs, CLEAN.jitterNs);
    }

    /**
     * @param p loss probability
     * @return {@link #CLEAN} with that loss
     */
    public static LinkConditions lossy(final double p) {
        return CLEAN.withLoss(p);
    }

    /**
     * A loopback override: a member's own copies lost with probability {@code p} (unreliable transports only) and
     * delayed by {@code delayNs}.
     *
     * @param p       loss probability
     * @param delayNs latency of the loopback
     * @return the conditions
     */
    public static LinkConditions loopback(final double p, final long delayNs) {
        return NONE.withLoss(p).withDelay(delayNs, 0);
    }

    /**
     * The script form ({@link FaultScript}): the keys whose values differ from {@code base}, e.g.
     * {@code loss=0.5 delay=1.5s}.
     *
     * @param base the conditions the script starts from for this kind
     * @return space-separated {@code key=value}s, empty when equal to the base
     */
    public String toScript(final LinkConditions base) {
        final StringBuilder b = new StringBuilder();
        if (loss != base.loss) {
            b.append(" loss=").append(FaultScript.number(loss));
        }
        if (lossCorrelation != base.lossCorrelation) {
            b.append(" burst=").append(FaultScript.number(lossCorrelation));
        }
        if (duplicate != base.duplicate) {
            b.append(" dup=").append(FaultScript.number(duplicate));
        }
        if (reorder != base.reorder) {
            b.append(" reorder=").append(FaultScript.number(reorder));
        }
        if (reorderDelayNs != base.reorderDelayNs) {
            b.append(" reorder-delay=").append(FaultScript.duration(reorderDelayNs));
        }
        if (delayNs != base.delayNs) {
            b.append(" delay=").append(FaultScript.duration(delayNs));
        }
        if (jitterNs != base.jitterNs) {
            b.append(" jitter=").append(FaultScript.duration(jitterNs));
        }
        return b.toString().trim();
    }
}
