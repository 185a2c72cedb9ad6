package io.cairn.stack.testsupport;

import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.Layer;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A custom layer known only to test code, named by class in a stack file. It stamps a 4-byte header on casts
 * (a per-member counter), checks it on delivery, and records every handler call it receives.
 */
public final class RecordingLayer implements Layer {
    /** Every call, as "member:handler:detail". */
    public static final Queue<String> CALLS = new ConcurrentLinkedQueue<>();

    private int stamp;
    private String me;

    @Override
    public int headerLength() {
        return 4;
    }

    @Override
    public int layerId() {
        return 4242;
    }

    @Override
    public void init(final LayerContext ctx) {
        me = ctx.self().name();
        CALLS.add(me + ":init:" + ctx.settings().getInt("tag"));
    }

    @Override
    public void onCast(final LayerContext ctx, final Message msg) {
        msg.buffer().putInt(msg.offset() + ctx.headerOffset(), ++stamp, ByteOrder.LITTLE_ENDIAN);
        CALLS.add(me + ":cast:" + stamp);
        ctx.cast(msg);
    }

    @Override
    public void onDeliver(final LayerContext ctx, final Message msg) {
        final int h = msg.buffer().getInt(msg.offset() + ctx.headerOffset(), ByteOrder.LITTLE_ENDIAN);
        CALLS.add(me + ":deliver:" + (msg.isUnicast() ? "unicast:" : "") + h);
        ctx.deliver(msg);
    }

    @Override
    public void onUpEvent(final LayerContext ctx, final UpEvent event) {
        CALLS.add(me + ":up:" + event.getClass().getSimpleName());
        ctx.up(event);
    }

    /**
     * @param member member name
     * @return that member's calls, without the prefix
     */
    public static List<String> callsOf(final String member) {
        return CALLS.stream().filter(c -> c.startsWith(member + ":")).map(c -> c.substring(member.length() + 1))
            .toList();
    }
}
