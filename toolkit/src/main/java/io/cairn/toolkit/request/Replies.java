package io.cairn.toolkit.request;

/**
 * How many replies a request waits for, out of the members of the view it was delivered in. Members that leave,
 * are excluded or crash before replying count as "will not reply" from the view change on, as do members that
 * decline (their responder returned null).
 */
public final class Replies {
    private final String name;
    private final int k;

    private Replies(final String name, final int k) {
        this.name = name;
        this.k = k;
    }

    /** @return the first reply */
    public static Replies first() {
        return new Replies("first", 1);
    }

    /** @return replies from a majority of the view the request was delivered in */
    public static Replies majority() {
        return new Replies("majority", -1);
    }

    /** @return a reply from every member of that view that stays in the group and does not decline */
    public static Replies all() {
        return new Replies("all", -2);
    }

    /**
     * @param k how many
     * @return at least {@code k} replies
     */
    public static Replies atLeast(final int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Replies.atLeast(" + k + "): k must be at least 1");
        }
        return new Replies("atLeast(" + k + ")", k);
    }

    /**
     * @param viewSize   members the request was delivered to
     * @param stillCould members that replied or still may
     * @return replies needed
     */
    int needed(final int viewSize, final int stillCould) {
        return switch (k) {
            case -1 -> viewSize / 2 + 1;
            case -2 -> stillCould;
            default -> k;
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
