package io.cairn.api;

/** A blocking cast or send could not be queued before its timeout: the stack is applying back-pressure. */
public final class WouldBlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what timed out
     */
    public WouldBlockException(final String message) {
        super(message);
    }
}
