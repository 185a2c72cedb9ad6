package io.cairn.stack.spi;

import io.cairn.api.MemberId;

import java.util.Map;
import java.util.Set;

/**
 * The bottom of every stack: moves frames between members. One transport instance per node serves every group of
 * that node; {@link #bind} attaches one group's stack. Frames are opaque to the transport except for the group id
 * it may use to demultiplex ({@link io.cairn.stack.wire.FrameHeader#groupId}).
 */
public interface Transport extends AutoCloseable {
    /** @return the transport's name, as used in stack files */
    String name();

    /** @return the largest frame it carries, in bytes */
    int maxFrameLength();

    /** @return properties the transport guarantees point-to-point (for example TCP: reliable and fifo) */
    Set<Property> provides();

    /**
     * Attaches a stack.
     *
     * @param groupId  the group's wire id
     * @param self     the local member
     * @param receiver where incoming frames of this group go; called from a transport thread, must not block
     * @return the channel the stack sends through
     */
    TransportChannel bind(int groupId, MemberId self, FrameReceiver receiver);

    /**
     * Offers the transport's receive side to the thread that will run a stack bound next: asked before
     * {@link #bind}, by a node that runs all of an owner's stacks on one thread. An owner that gets a poller must have
     * its thread call it (see {@link ReceivePoller}); with null, or once a second owner asks (one socket cannot be read
     * by two threads in order), the transport receives on its own threads. None by default.
     *
     * @param owner who runs the stacks: the same owner may ask again (a stack replaced by its next incarnation)
     * @return the poller the owner's thread runs, or null
     */
    default ReceivePoller receiveOn(final Object owner) {
        return null;
    }

    /**
     * The owner's thread stops polling (its stack stopped): the next owner may claim the receive side, and stacks
     * still bound are served by the transport's own threads.
     *
     * @param owner as given to {@link #receiveOn}
     */
    default void releaseReceive(final Object owner) {
        // nothing claimed by default
    }

    /**
     * @return the transport's own counters (datagrams, frames, malformed input, ...), by name; none by default. Read
     *     from any thread: values may be slightly stale.
     */
    default Map<String, Long> stats() {
        return Map.of();
    }

    /** Closes the transport and every channel. */
    @Override
    void close();
}
