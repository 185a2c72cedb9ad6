package io.cairn.layers.reliability;

import com.typesafe.config.Config;

import java.util.concurrent.TimeUnit;

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
    NakSettings {
        if (nakIntervalNs <= 0 || maxNakIntervalNs < nakIntervalNs || highestIntervalNs <= 0 || nakDelayNs < 0) {
            throw new IllegalArgumentException("nak-reliability: intervals must be positive and "
                + "max-nak-interval >= nak-interval");
        }
        if (window < 64 || maxRanges < 1 || maxRanges > 4096 || relayAfter < 0 || maxRetransmitPerNak < 1
            || chunkBytes < 4096) {
            throw new IllegalArgumentException("nak-reliability: window >= 64, 1 <= max-nak-ranges <= 4096, "
                + "relay-after >= 0, max-retransmit-per-nak >= 1, store-chunk-size >= 4K");
        }
    }

    static NakSettings from(final Config c) {
        return new NakSettings(
            c.getDuration("nak-delay", TimeUnit.NANOSECONDS),
            c.getDuration("nak-interval", TimeUnit.NANOSECONDS),
            c.getDuration("max-nak-interval", TimeUnit.NANOSECONDS),
            c.getDuration("highest-interval", TimeUnit.NANOSECONDS),
            c.getInt("window"),
            c.getInt("max-nak-ranges"),
            c.getInt("relay-after"),
            c.getInt("max-retransmit-per-nak"),
            (int) c.getBytes("store-chunk-size").longValue());
    }
}
