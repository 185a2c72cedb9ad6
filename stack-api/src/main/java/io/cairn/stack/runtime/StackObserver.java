package io.cairn.stack.runtime;

import io.cairn.stack.wire.FrameValidator;

/** Observes what the bottom of a stack does with raw frames (used by the trace recorder and the stats). */
public interface StackObserver {
    /**
     * A frame was dropped by validation.
     *
     * @param reason why
     * @param sender the sender key from the header if it could be read, else 0
     */
    void onReject(FrameValidator.Reject reason, long sender);
}
