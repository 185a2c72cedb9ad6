package io.cairn.stack.spi;

import org.agrona.MutableDirectBuffer;

/**
 * Frames received together (a datagram: frames back to back from offset 0, each delimited by its header's length
 * field), handed to a stack whole instead of copied frame by frame ({@link FrameReceiver#onBatch}). The stack owns
 * the buffer from the hand-over until it calls {@link #release}, once, after reading every frame; the transport
 * then reuses it.
 */
public interface FrameBatch {
    /** @return the frames, from offset 0 */
    MutableDirectBuffer buffer();

    /** @return bytes of frames in {@link #buffer} */
    int length();

    /** Gives the buffer back to the transport (the stack's thread, once). */
    void release();
}
