package io.cairn.transport.inmem;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Transport between stacks in one JVM over an {@link InProcessNetwork}. It provides no property: a frame that
 * finds the receiver's ring full is dropped, as a datagram would be. It is writable while every member's ring is
 * less than half full, which throttles application traffic before anything drops.
 */
public final class InProcessTransport implements Transport {
    /** Transport name in stack files. */
    public static final String NAME = "inproc";

    private final InProcessNetwork network;
    private final int maxFrameLength;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();

    /**
     * @param settings the {@code cairn.transport.inproc} section
     */
    public InProcessTransport(final Config settings) {
        this.network = InProcessNetwork.named(settings.getString("network"));
        this.maxFrameLength = (int) settings.getBytes("max-frame-size").longValue();
        if (maxFrameLength < 256) {
            throw new IllegalArgumentException("cairn.transport.inproc.max-frame-size must be at least 256 bytes");
        }
    }

    @Override
    public String name() {
        return NAME;
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
        final Channel c = new Channel(network.attach(groupId, self.key(), receiver));
        channels.add(c);
        return c;
    }

    @Override
    public void close() {
        for (final Channel c : channels) {
            c.close();
        }
    }

    private final class Channel implements TransportChannel {
        private final InProcessNetwork.Endpoint endpoint;

        Channel(final InProcessNetwork.Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
            return !endpoint.closed && endpoint.group.multicast(buffer, offset, length);
        }

        @Override
        public boolean unicast(final long destination, final DirectBuffer buffer, final int offset, final int length) {
            return !endpoint.closed && endpoint.group.unicast(destination, buffer, offset, length);
        }

        @Override
        public boolean isWritable() {
            return endpoint.group.hasRoom();
        }

        @Override
        public void close() {
            endpoint.closed = true;
            endpoint.group.remove(endpoint);
            channels.remove(this);
        }
    }
}
