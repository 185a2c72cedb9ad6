package io.cairn.stack.spi;

/**
 * A transport's receive side run by the thread that runs the stacks ({@link Transport#receiveOn}): that thread
 * polls for input after each duty cycle and, when it has nothing to do, waits in the sockets' readiness instead of
 * parking, so an arriving datagram wakes the one thread that handles it rather than a transport thread that then
 * wakes the stack's. Frames still reach each stack through its {@link FrameReceiver}, on the polling thread.
 */
public interface ReceivePoller {
    /**
     * Reads what has arrived, without blocking, and hands it to the receivers. A frame a receiver refuses (its
     * inbound queue is full) is held and offered again at the next poll, and nothing more is read meanwhile (the
     * sockets hold it); after a while it may be dropped. Called by the owner's thread only.
     *
     * @return the number of datagrams (or reads) done
     */
    int poll();

    /**
     * Waits until input arrives, {@link #wakeup()} is called, or about {@code nanos} pass. Socket waits have a
     * granularity of a millisecond: a wait shorter than that takes up to one. While a frame is held the wait is a
     * park (the sockets are readable), which {@link java.util.concurrent.locks.LockSupport#unpark} of the owner's
     * thread also ends. Called by the owner's thread only.
     *
     * @param nanos longest wait
     */
    void await(long nanos);

    /** Ends the owner's current {@link #await} at once, or the next one if none is in progress (any thread). */
    void wakeup();
}
