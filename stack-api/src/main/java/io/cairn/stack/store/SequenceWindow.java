package io.cairn.stack.store;

/**
 * Which sequence numbers of one sender have been received: everything up to {@link #contiguous()}, plus a bitmap
 * of the next {@code window} numbers. Marks duplicates, refuses numbers beyond the window (the sender is too far
 * ahead; they are recovered later), and lists the gaps for negative acknowledgements. Single-threaded, no
 * allocation after construction.
 */
public final class SequenceWindow {
    private final long[] bits;
    private final int window;
    private long contiguous;
    private long highest;

    /**
     * @param window how many numbers above the contiguous point are tracked (rounded up to a multiple of 64)
     */
    public SequenceWindow(final int window) {
        final int words = Math.max(1, (window + 63) / 64);
        this.bits = new long[Integer.highestOneBit(words * 2 - 1)];
        this.window = Math.min(window, bits.length * 64);
    }

    /**
     * Records a received number.
     *
     * @param seq sequence number ({@code >= 1})
     * @return true when new; false for a duplicate or a number beyond the window
     */
    public boolean mark(final long seq) {
        if (seq <= contiguous || seq > contiguous + window || isSet(seq)) {
            return false;
        }
        set(seq);
        highest = Math.max(highest, seq);
        while (isSet(contiguous + 1)) {
            clear(contiguous + 1);
            contiguous++;
        }
        return true;
    }

    /**
     * @param seq a number
     * @return whether it was received
     */
    public boolean received(final long seq) {
        return seq <= contiguous || (seq <= contiguous + window && isSet(seq));
    }

    /**
     * Learns that the sender has sent up to {@code seq} (from an announcement), so a missing tail becomes a gap.
     *
     * @param seq highest number sent
     */
    public void seen(final long seq) {
        highest = Math.max(highest, seq);
    }

    /** @return every number up to this one was received */
    public long contiguous() {
        return contiguous;
    }

    /** @return the highest number received or announced */
    public long highest() {
        return highest;
    }

    /** @return whether numbers between contiguous and highest are missing */
    public boolean hasGaps() {
        return highest > contiguous;
    }

    /** @return the window size */
    public int window() {
        return window;
    }

    /**
     * Writes the missing ranges as pairs {@code [from, to]} (inclusive) into {@code out}, limited to the window.
     *
     * @param out       pairs, length at least {@code 2 * maxRanges}
     * @param maxRanges most ranges to report
     * @return number of ranges written
     */
    public int missing(final long[] out, final int maxRanges) {
        int n = 0;
        final long limit = Math.min(highest, contiguous + window);
        long s = contiguous + 1;
        while (s <= limit && n < maxRanges) {
            if (isSet(s)) {
                s++;
                continue;
            }
            final long from = s;
            while (s <= limit && !isSet(s)) {
                s++;
            }
            out[2 * n] = from;
            out[2 * n + 1] = s - 1;
            n++;
        }
        return n;
    }

    /** Forgets everything (a new view). */
    public void reset() {
        java.util.Arrays.fill(bits, 0);
        contiguous = 0;
        highest = 0;
    }

    private boolean isSet(final long seq) {
        final long bit = seq & (bits.length * 64L - 1);
        return (bits[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    private void set(final long seq) {
        final long bit = seq & (bits.length * 64L - 1);
        bits[(int) (bit >>> 6)] |= 1L << bit;
    }

    private void clear(final long seq) {
        final long bit = seq & (bits.length * 64L - 1);
        bits[(int) (bit >>> 6)] &= ~(1L << bit);
    }
}
