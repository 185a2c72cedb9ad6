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
