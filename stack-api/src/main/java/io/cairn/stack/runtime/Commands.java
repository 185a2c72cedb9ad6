package io.cairn.stack.runtime;

import io.cairn.stack.event.BlockOk;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.ViewOk;
import io.cairn.stack.wire.FrameHeader;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

/**
 * What the application's threads put in the command ring, taken on the stack's thread: casts and sends enter the
 * top of the stack (their data header written in place), and a block or view acknowledgement goes down as its event.
 * Reading stops while the {@link CommandGate} holds the ring (the stack blocked for a view change).
 */
final class Commands implements ControlledMessageHandler {
    private final StackRuntime stack;
    private final LayerChain chain;
    private final OutboundFrames out;
    private final CommandGate gate;
    private final int headroom;
    private final Message msg = new Message();

    Commands(final StackRuntime stack, final LayerChain chain, final OutboundFrames out, final CommandGate gate,
             final int headroom) {
        this.stack = stack;
        this.chain = chain;
        this.out = out;
        this.gate = gate;
        this.headroom = headroom;
    }

    @Override
    public Action onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length) {
        if (!gate.mayRead()) {
            return Action.ABORT;
        }
        final Message m = msg.wrap(buffer, index, length, headroom);
        stack.rtc.enter();
        try {
            if (type == StackInputs.CMD_CAST) {
                out.writeDataHeader(buffer, index, length, 0);
                if (chain.topCast != null) {
                    chain.topCast.active++;
                    chain.topCast.layer.onCast(chain.topCast, m);
                    chain.topCast.active--;
                } else {
                    stack.bottomCast(m);
                }
            } else if (type == StackInputs.CMD_BLOCK_OK) {
                gate.read();
                stack.dispatchDown(new BlockOk());
            } else if (type == StackInputs.CMD_VIEW_OK) {
                gate.read();
                stack.dispatchDown(new ViewOk(buffer.getLong(index, FrameHeader.ORDER)));
            } else if (type == StackInputs.CMD_SEND) {
                final long destination = buffer.getLong(index + FrameHeader.SENDER_OFFSET, FrameHeader.ORDER);
                out.writeDataHeader(buffer, index, length, FrameHeader.FLAG_UNICAST);
                m.destination(destination);
                if (chain.topSend != null) {
                    chain.topSend.active++;
                    chain.topSend.layer.onSend(chain.topSend, m);
                    chain.topSend.active--;
                } else {
                    stack.bottomSend(m);
                }
            }
        } catch (final RuntimeException e) {
            stack.handlerError("command", e);
        } finally {
            stack.rtc.exit();
            stack.rtc.runDeferred();
        }
        return Action.CONTINUE;
    }
}
