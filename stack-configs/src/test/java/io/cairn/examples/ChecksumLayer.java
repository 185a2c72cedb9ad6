package io.cairn.examples;

import io.cairn.stack.event.Message;
import io.cairn.stack.spi.*;
import java.nio.ByteOrder;

/** End-to-end integrity: a CRC-32C of each payload in a header; a frame that fails it is dropped and counted. */
@LayerSpec(name = "checksum", header = 4)                              // id: derived from the class name
public final class ChecksumLayer implements Layer {
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private int maxChecked;

    @Override
    public void configure(final Settings s) {
        maxChecked = (int) s.withDefaults("max-checked-bytes = 64K").bytesIn("max-checked-bytes", 1, 1 << 30);
    }

    @Override
    public void onCast(final LayerContext ctx, final Message m) {
        m.buffer().putInt(m.offset() + ctx.headerOffset(), checksum(m), ByteOrder.LITTLE_ENDIAN);
        ctx.cast(m);
    }

    @Override
    public void onSend(final LayerContext ctx, final Message m) {     // retransmissions go point-to-point
        m.buffer().putInt(m.offset() + ctx.headerOffset(), checksum(m), ByteOrder.LITTLE_ENDIAN);
        ctx.send(m);
    }

    @Override
    public void onDeliver(final LayerContext ctx, final Message m) {
        if (m.buffer().getInt(m.offset() + ctx.headerOffset(), ByteOrder.LITTLE_ENDIAN) == checksum(m)) {
            ctx.deliver(m);
        } else {
            ctx.counter("corrupt").increment();                          // created once, then looked up
        }
    }

    private int checksum(final Message m) {
        crc.reset();
        for (int i = m.payloadOffset(), end = i + Math.min(m.payloadLength(), maxChecked); i < end; i++) {
            crc.update(m.buffer().getByte(i));
        }
        return (int) crc.getValue();
    }
}
