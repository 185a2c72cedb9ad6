package io.cairn.layers.reliability;

import io.cairn.stack.spi.Settings;

/**
 * Settings of {@code nak-reliability} (defaults in {@code nak-reliability.conf}).
 *
 * @param nakDelayNs        wait after a gap appears before the first NAK (tolerates reordering)
 * @param nakIntervalNs     first interval between NAKs for the same gap; doubles per attempt
 * @param maxNakIntervalNs  cap of that interval
 * @param highestIntervalNs how often a member with unstable messages announces its highest sequence number
 * @param window            sequence numbers tracked above the contiguous point per sender
 * @param maxRanges         missing ranges per NAK frame
 * @param relayAfter        NAKs sent to the original sender before asking every member
 * @param maxRetransmitPerNak messages retransmitted in answer to one NAK
 * @param chunkBytes        storage chunk size of the retransmission buffers
 */
record NakSettings(long nakDelayNs, long nakIntervalNs, long maxNakIntervalNs, long highestIntervalNs, int window,
                   int maxRanges, int relayAfter, int maxRetransmitPerNak, int chunkBytes) {
    static NakSettings from(final Settings s) {
        final long nakIntervalNs = s.durationNs("nak-interval", Settings.MICROSECOND, Settings.HOUR);
        final long maxNakIntervalNs = s.durationNs("max-nak-interval", Settings.MICROSECOND, Settings.HOUR);
        s.require(maxNakIntervalNs >= nakIntervalNs, "max-nak-interval", "must be at least nak-interval ("
            + Settings.duration(nakIntervalNs) + ")");
        return new NakSettings(
            s.durationNs("nak-delay", 0, Settings.HOUR),
            nakIntervalNs,
            maxNakIntervalNs,
            s.durationNs("highest-interval", Settings.MICROSECOND, Settings.HOUR),
            s.intIn("window", 64, 1 << 24),
            s.intIn("max-nak-ranges", 1, 4096),
            s.intIn("relay-after", 0, 1000),
            s.intIn("max-retransmit-per-nak", 1, 1 << 20),
            s.storeChunkSize());
    }
}
