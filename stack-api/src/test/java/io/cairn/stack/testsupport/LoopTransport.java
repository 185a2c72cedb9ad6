package io.cairn.stack.testsupport;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Transport;
import io.cairn.stack.spi.TransportChannel;
import io.cairn.stack.spi.TransportFactory;
import org.agrona.DirectBuffer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Minimal transport for stack-api's own tests: synchronous fan-out between stacks of one JVM. */
public final class LoopTransport implements Transport, TransportFactory {
    static final Map<Long, FrameReceiver> MEMBERS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "loop";
    }

    @Override
    public Set<Property> provides() {
        return Set.of();
    }

    @Override
    public Transport create(final Config settings, final String nodeName) {
        return new LoopTransport();
    }

    @Override
    public int maxFrameLength() {
        return 1500;
    }

    @Override
    public TransportChannel bind(final int groupId, final MemberId self, final FrameReceiver receiver) {
        MEMBERS.put(self.key(), receiver);
        return new TransportChannel() {
            @Override
            public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
                MEMBERS.values().forEach(r -> r.onFrame(buffer, offset, length));
                return true;
            }

            @Override
            public boolean unicast(final long destination, final DirectBuffer buffer, final int offset,
                                   final int length) {
                final FrameReceiver r = MEMBERS.get(destination);
                return r != null && r.onFrame(buffer, offset, length);
            }

            @Override
            public void close() {
                MEMBERS.remove(self.key());
            }
        };
    }

    @Override
    public void close() {
    }
}
