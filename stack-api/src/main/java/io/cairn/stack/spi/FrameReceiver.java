package io.cairn.stack.spi;

import org.agrona.DirectBuffer;

/**
 * Receives raw frames from a transport, on a transport thread or on the thread that runs the stack (a
 * {@link ReceivePoller}). Implementations copy and return quickly, and never block.
 */
@FunctionalInterface
public interface FrameReceiver {
    /**
     * @param buffer buffer, valid during the call only
     * @param offset frame start
     * @param length frame length as received (unvalidated)
     * @return false when the stack's inbound queue is full and it did not take the frame: the transport may offer it
     *     again later, or drop it
     */
    boolean onFrame(DirectBuffer buffer, int offset, int length);

    /**
     * Whether the receiver has room for a burst: transports that can see their peers' queues (in-process, shared
     * memory) use it to report {@link TransportChannel#isWritable()}.
     *
     * @return true while the inbound queue is less than half full
     */
    default boolean hasRoom() {
        return true;
    }
}
