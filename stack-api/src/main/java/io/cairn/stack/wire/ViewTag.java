package io.cairn.stack.wire;

import io.cairn.api.ViewId;

/**
 * The 64-bit name of a view that frames carry: the epoch in the high 32 bits, a fingerprint of the coordinator's key
 * in the low 32. Two partitions can install different views with the same epoch whose member sets overlap (each
 * coordinator counted in a member that installed the other's view); an epoch alone let a frame sent in one be
 * delivered in the other. With the tag, such a frame is of another view, like a stale or a future one. Epochs past
 * 2^32 - 1 are not supported (a view change a millisecond for fifty days).
 */
public final class ViewTag {
    /** No view: what a stack stamps before its first view. */
    public static final long NONE = 0;

    private ViewTag() {
    }

    /**
     * @param id a view id
     * @return its tag
     */
    public static long of(final ViewId id) {
        return of(id.epoch(), id.coordinator().key());
    }

    /**
     * @param epoch          a view's epoch
     * @param coordinatorKey its coordinator's key
     * @return the view's tag
     */
    public static long of(final long epoch, final long coordinatorKey) {
        return epoch << 32 | fingerprint(coordinatorKey) & 0xFFFF_FFFFL;
    }

    /**
     * @param tag a view tag
     * @return the view's epoch
     */
    public static long epoch(final long tag) {
        return tag >>> 32;
    }

    /** The finalizer of MurmurHash3's 64-bit hash: keys differing in any bit differ in about half the result's. */
    private static int fingerprint(final long key) {
        long k = key;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return (int) k;
    }
}
