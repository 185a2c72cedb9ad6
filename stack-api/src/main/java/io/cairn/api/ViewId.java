package io.cairn.api;

/**
 * Identifier of a view: an epoch and the coordinator that created it. View ids are totally ordered by epoch, then
 * by the coordinator's wire key, so two partitions that both reach epoch e still have distinct, ordered ids.
 *
 * @param epoch       view epoch, {@code >= 0}
 * @param coordinator the member that installed the view
 */
public record ViewId(long epoch, MemberId coordinator) implements Comparable<ViewId> {
    /** Validates the components. */
    public ViewId {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
        }
        if (coordinator == null) {
            throw new IllegalArgumentException("coordinator must not be null");
        }
    }

    @Override
    public int compareTo(final ViewId o) {
        final int c = Long.compare(epoch, o.epoch);
        return c != 0 ? c : Long.compare(coordinator.key(), o.coordinator.key());
    }

    @Override
    public String toString() {
        return epoch + ":" + coordinator;
    }
}
