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
     * Takes a whole batch of frames without copying them, when the receiver can (a stack queues a few and reads the
     * frames in place, then releases them). A transport checks the framing and that every frame is of this
     * receiver's group before it offers a batch; the receiver still validates each frame as it would one from
     * {@link #onFrame}. Batches are read before frames offered one by one, so a transport that offers batches
     * should not switch a sender's traffic between the two ways while a batch may be unread (it would reorder it).
     *
     * @param batch the frames; the receiver owns it once it returns true
     * @return false when not taken: the receiver does not take batches ({@link #takesBatches}), or holds as many
     *     as it will (try again, as when {@link #onFrame} returns false)
     */
    default boolean onBatch(final FrameBatch batch) {
        return false;
    }

    /** @return whether {@link #onBatch} may take batches at all */
    default boolean takesBatches() {
        return false;
    }

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
