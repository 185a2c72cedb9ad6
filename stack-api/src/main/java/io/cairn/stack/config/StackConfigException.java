package io.cairn.stack.config;

/** An invalid stack or setting. The message names the file, the key and the fix. */
public final class StackConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, where, and how to fix it
     */
    public StackConfigException(final String message) {
        super(message);
    }

    /**
     * @param message what is wrong, where, and how to fix it
     * @param cause   the underlying config error
     */
    public StackConfigException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
