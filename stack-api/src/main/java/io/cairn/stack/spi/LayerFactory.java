package io.cairn.stack.spi;

/**
 * Registers a layer under a short name (found with {@link java.util.ServiceLoader}). Custom layers may skip the
 * factory and be named in a stack file by fully-qualified class name instead (public no-argument constructor).
 */
public interface LayerFactory {
    /** @return the name used in stack files, kebab-case */
    String name();

    /**
     * Position of this layer when the assembler synthesizes a stack from properties: lower is nearer the
     * transport. Built-in layers use multiples of 100.
     *
     * @return the canonical position
     */
    int canonicalPosition();

    /** @return a new layer instance */
    Layer create();
}
