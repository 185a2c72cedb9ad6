package io.cairn.toolkit.request;

/** A request can no longer get the replies it asked for: too many members departed or declined. */
public final class NotEnoughRepliesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The replies it did get. */
    private final transient RequestResult partial;

    NotEnoughRepliesException(final String message, final RequestResult partial) {
        super(message);
        this.partial = partial;
    }

    /** @return what arrived before the request failed */
    public RequestResult partial() {
        return partial;
    }
}
