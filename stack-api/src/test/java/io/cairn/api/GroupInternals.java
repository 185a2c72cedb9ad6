package io.cairn.api;

import io.cairn.stack.runtime.StackRuntime;

/** Test access to a group's runtime. */
public final class GroupInternals {
    private GroupInternals() {
    }

    /**
     * @param g a group
     * @return its runtime
     */
    public static StackRuntime runtime(final Group g) {
        return g.runtime();
    }
}
