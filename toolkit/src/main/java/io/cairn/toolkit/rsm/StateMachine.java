package io.cairn.toolkit.rsm;

import io.cairn.api.View;

/**
 * The replicated object: deterministic, so that replicas that apply the same commands in the same order hold the
 * same state. Called on the stack's thread, under the machine's monitor (local reads take the same monitor).
 */
public interface StateMachine {
    /**
     * Applies a command. A command that throws is rejected: the submitter's future fails with the exception, and the
     * machine must be left as it was (every replica throws alike, since the machine is deterministic).
     *
     * @param index   the command's position in the group's total order: 1, 2, ... the same on every replica
     * @param command the command
     * @return the result for the submitter (may be null)
     */
    byte[] apply(long index, byte[] command);

    /**
     * Applies a command knowing who submitted it (access control, per-member state such as lock queues). By default
     * the same as {@link #apply(long, byte[])}.
     *
     * @param index   the command's index
     * @param origin  the member that submitted it
     * @param command the command
     * @return the result for the submitter (may be null)
     */
    default byte[] apply(final long index, final io.cairn.api.MemberId origin, final byte[] command) {
        return apply(index, command);
    }

    /**
     * A new view, at the same point of the order on every replica (virtual synchrony): machines whose state depends on
     * membership (locks held by departed members) update it here.
     *
     * @param view the view
     */
    default void viewChanged(final View view) {
    }

    /** @return the whole state, for a joiner */
    byte[] snapshot();

    /**
     * Replaces the whole state with a snapshot another replica took.
     *
     * @param snapshot what {@link #snapshot} returned
     */
    void restore(byte[] snapshot);
}
