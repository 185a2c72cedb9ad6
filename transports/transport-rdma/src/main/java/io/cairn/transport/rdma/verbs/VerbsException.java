package io.cairn.transport.rdma.verbs;

/** A verb failed: a connection could not be made, memory could not be registered, or a queue pair is broken. */
public final class VerbsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and why */
    public VerbsException(final String message) {
        super(message);
    }

    /**
     * @param message what failed and why
     * @param cause   the cause
     */
    public VerbsException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
