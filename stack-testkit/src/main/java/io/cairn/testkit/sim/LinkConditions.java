package io.cairn.testkit.sim;

/**
 * How the simulated network treats frames between two different members (loopback is always immediate and
 * lossless, as a kernel's is).
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
}
