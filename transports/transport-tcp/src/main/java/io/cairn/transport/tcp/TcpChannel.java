package io.cairn.transport.tcp;

import io.cairn.stack.spi.FrameReceiver;
import io.cairn.stack.spi.TransportChannel;
import org.agrona.DirectBuffer;

/** One group's sending side. Frames go to the peers' queues; flush has them written once per cycle. */
final class TcpChannel implements TransportChannel {
    private final TcpTransport transport;
    private final int groupId;
    private final long selfKey;
    private final FrameReceiver self;
    private boolean dirty;
    private boolean open = true;

    TcpChannel(final TcpTransport transport, final int groupId, final long selfKey, final FrameReceiver self) {
        this.transport = transport;
        this.groupId = groupId;
        this.selfKey = selfKey;
        this.self = self;
    }

    @Override
    public boolean multicast(final DirectBuffer buffer, final int offset, final int length) {
        if (!open) {
            return false;
        }
        boolean ok = self.onFrame(buffer, offset, length);
        for (final Connection c : transport.peers) {
            ok &= offer(c, buffer, offset, length);
        }
        return ok;
    }

    @Override
    public boolean unicast(final long destination, final DirectBuffer buffer, final int offset, final int length) {
        if (!open) {
            return false;
        }
        if (destination == selfKey) {
            return self.onFrame(buffer, offset, length);
        }
        final Connection c = transport.byKey.get(destination);
        return c != null && offer(c, buffer, offset, length);
    }

    private boolean offer(final Connection c, final DirectBuffer buffer, final int offset, final int length) {
        if (c.offer(buffer, offset, length)) {
            dirty = true;
            return true;
        }
        transport.queueFull.incrementAndGet();
        return false;
    }

    @Override
    public boolean isWritable() {
        for (final Connection c : transport.peers) {
            if (!c.hasRoom()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void flush() {
        if (dirty) {
            dirty = false;
            transport.queued();
        }
    }

    @Override
    public void close() {
        open = false;
        transport.unbind(groupId);
    }
}
