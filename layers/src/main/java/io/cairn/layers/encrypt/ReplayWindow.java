package io.cairn.layers.encrypt;

/**
 * Which of one sender's frame counters have been received: the highest, and a bitmap of the {@code size} counters
 * up to it (IPsec's anti-replay window, RFC 4303 3.4.3). A counter above the highest, or within the window and not
 * yet seen, is fresh; anything else is a replay (or too old to tell, which is treated alike). I/O-free.
 */
final class ReplayWindow {
    /** Counters from here on are refused: no sender gets near, and arithmetic on them cannot overflow. */
    static final long MAX_COUNTER = 1L << 62;
    private final long[] bits;
    private final int size;
    private long highest;

    /** @param size counters remembered below the highest, a multiple of 64 */
    ReplayWindow(final int size) {
        if (size <= 0 || size % 64 != 0) {
            throw new IllegalArgumentException("window size must be a positive multiple of 64: " + size);
        }
        this.size = size;
        this.bits = new long[size / 64];
    }

    /**
     * @param counter a frame's counter (from 1)
     * @return whether it has not been received and is not older than the window
     */
    boolean isFresh(final long counter) {
        if (counter <= 0 || counter >= MAX_COUNTER) {
            return false;
        }
        if (counter > highest) {
            return true;
        }
        return highest - counter < size && (bits[word(counter)] & bit(counter)) == 0;
    }

    /**
     * Records a counter that {@link #isFresh} accepted and whose frame proved authentic.
     *
     * @param counter the counter
     */
    void mark(final long counter) {
        if (counter > highest) {
            if (counter - highest >= size) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long c = highest + 1; c <= counter; c++) {
                    bits[word(c)] &= ~bit(c);
                }
            }
            highest = counter;
        }
        bits[word(counter)] |= bit(counter);
    }

    /**
     * Treats every counter up to {@code counter} as received: a verified session's frames before it are refused.
     *
     * @param counter the first counter refused from now on, and all below it
     */
    void startAfter(final long counter) {
        highest = Math.max(highest, Math.min(counter, MAX_COUNTER));
        java.util.Arrays.fill(bits, -1L);
    }

    /** @return the highest counter received */
    long highest() {
        return highest;
    }

    private int word(final long counter) {
        return (int) ((counter % size) >>> 6);
    }

    private static long bit(final long counter) {
        return 1L << (counter & 63);
    }
}
