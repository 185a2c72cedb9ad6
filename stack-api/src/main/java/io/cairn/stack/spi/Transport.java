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
