package io.cairn.stack.spi;

import org.agrona.DirectBuffer;

/** One group's sending side of a transport. Called only on the group stack's thread. */
public interface TransportChannel extends AutoCloseable {
    /**
     * Sends a frame to every member of the group, this one included (loopback).
     *
     * @param buffer buffer
     * @param offset frame start
     * @param length frame length
     * @return false when the frame could not be accepted (counted and dropped by the caller)
     */
    boolean multicast(DirectBuffer buffer, int offset, int length);

    /**
     * Sends a frame to one member.
     *
     * @param destination the destination's member key
     * @param buffer      buffer
     * @param offset      frame start
     * @param length      frame length
     * @return false when the frame could not be accepted or the destination is unknown
     */
    boolean unicast(long destination, DirectBuffer buffer, int offset, int length);

    /**
     * Back-pressure signal (Netty's writability): while false, the stack stops taking application casts and
     * sends, but keeps receiving and running its protocols, so two congested members never wait for each other.
     *
     * @return whether the transport can take a burst of frames now
     */
    default boolean isWritable() {
        return true;
    }

    /**
     * End of the stack's duty cycle: a transport that bundles frames sends what it gathered, so bundling adds no
     * latency at low load and fills datagrams at high load.
     */
    default void flush() {
    }

    /** Detaches the stack. */
    @Override
    void close();
}
