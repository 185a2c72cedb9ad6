package io.cairn.stack.runtime;

/** How a node runs its stacks (Aeron's threading modes). */
public enum ThreadingMode {
    /** One thread per stack. */
    DEDICATED,
    /** All stacks of a node on one thread. */
    SHARED,
    /** No threads: the caller drives {@code doWork()} (the simulator and deterministic tests). */
    INVOKER
}
