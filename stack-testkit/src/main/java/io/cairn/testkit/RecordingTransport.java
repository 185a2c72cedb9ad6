package io.cairn.testkit;

import io.cairn.api.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import org.agrona.DirectBuffer;

import java.util.Set;

/**
 * A transport that sends nothing anywhere: it hands a copy of every frame a stack sends to a {@link Tap}, for tests
 * that carry, inspect or replay frames by hand (layer harness, bare stacks, fuzz targets). Every send succeeds.
 */
public final class RecordingTransport implements Transport {
    /** Receives each frame sent. */
    @FunctionalInterface
    public interface Tap {
        /**
         * @param frame       a copy of the frame
         * @param destination the member key of a unicast, 0 for a multicast
         */
        void sent(byte[] frame, long destination);
    }

    private final String name;
    private final int maxFrameLength;
    private final Tap tap;

    /**
     * @param name           the transport's name
     * @param maxFrameLength its largest frame
     * @param tap            what receives the frames
     */
    public RecordingTransport(final String name, final int maxFrameLength, final Tap tap) {
        this.name = name;
        this.maxFrameLength = maxFrameLength;
        this.tap = tap;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public Set<Property> provides() {
        return Set.of();
    }

    @Override
    public TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
        return new TransportChannel() {
            @Override
            public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
                return record(buffer, offset, length, 0);
            }

            @Override
            public boolean unicast(final long destination, final DirectBuffer buffer, final int offset,
                                   final int length) {
                return record(buffer, offset, length, destination);
            }

            @Override
            public void close() {
            }
        };
    }

    private boolean record(final DirectBuffer buffer, final int offset, final int length, final long destination) {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        tap.sent(copy, destination);
        return true;
    }

    @Override
    public void close() {
    }
}
