package io.cairn.stack.event;

/**
 * This member is out of the group: it left, or was excluded, or lost the primary partition, or could not get
 * the state. In all but the first case the process may rejoin as a new incarnation ({@link #rejoin()}).
 *
 * @param reason why, for people
 * @param rejoin whether the application (or the {@code Group} API, which does it by default) should rejoin as a
 *               new incarnation
 */
public record Exited(String reason, boolean rejoin) implements UpEvent {
    /** The reason of a graceful leave: the member took part in the flush of the view that let it go. */
    public static final String LEFT = "left the group";

    /**
     * An exit after which the member does not rejoin (it left).
     *
     * @param reason why
     */
    public Exited(final String reason) {
        this(reason, false);
    }

    /** @return whether this is a graceful leave after the flush of the member's last view (see {@link #LEFT}) */
    public boolean left() {
        return LEFT.equals(reason) && !rejoin;
    }
}
