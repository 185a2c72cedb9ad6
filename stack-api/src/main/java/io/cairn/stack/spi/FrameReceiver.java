package io.cairn.stack.spi;

import org.agrona.DirectBuffer;

/** Receives raw frames from a transport, on a transport thread. Implementations copy and return quickly. */
@FunctionalInterface
public interface FrameReceiver {
    /**
     * @param buffer buffer, valid during the call only
     * @param offset frame start
     * @param length frame length as received (unvalidated)
     * @return false when the frame was dropped because the stack's inbound queue is full
     */
    boolean onFrame(DirectBuffer buffer, int offset, int length);
}
