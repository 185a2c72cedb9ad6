package io.cairn.stack.runtime;

import io.cairn.stack.event.Message;
import io.cairn.api.View;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.FrameSeal;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.FrameValidator;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Frames read from the inbound ring, on the stack's thread. A control frame goes to the layer its header names; a
 * data frame goes to the bottom layer only if it is of the installed view and from one of its members. Anything
 * else (malformed, another group, another view, a non-member, too short for a layer's header) is dropped and
 * counted by reason, never thrown.
 */
final class InboundFrames implements MessageHandler {
    private static final ByteOrder LE = FrameHeader.ORDER;
    private static final System.Logger LOG = System.getLogger("io.cairn.stack");

    private final StackRuntime stack;
    private final LayerChain chain;
    private final StackObserver observer;
    private final int groupId;
    private final int maxFrameLength;
    private final int minDataLength;
    private final Counter framesIn;
    private final Counter[] rejects = new Counter[FrameValidator.Reject.values().length];
    private final FrameHeader header = new FrameHeader();
    private final Message msg = new Message();
    /** Opens sealed frames into {@link #opened}, or null when the stack does not seal. */
    private final FrameSeal seal;
    private final UnsafeBuffer opened;
    private final int sealedMaxLength;

    InboundFrames(final StackRuntime stack, final LayerChain chain, final StackObserver observer,
                  final int maxFrameLength, final int transportMaxFrameLength) {
        this.stack = stack;
        this.chain = chain;
        this.observer = observer;
        this.groupId = stack.groupId();
        this.maxFrameLength = maxFrameLength;
        this.minDataLength = chain.minDataLength();
        this.seal = chain.seal;
        this.sealedMaxLength = transportMaxFrameLength;
        this.opened = seal != null ? new UnsafeBuffer(ByteBuffer.allocateDirect(transportMaxFrameLength)) : null;
        this.framesIn = stack.stats().counter("stack.frames_in");
        for (final FrameValidator.Reject r : FrameValidator.Reject.values()) {
            rejects[r.ordinal()] = stack.stats().counter("stack.reject_" + r.name().toLowerCase());
        }
    }

    /** @return the counter of frames dropped for {@code r} */
    Counter rejects(final FrameValidator.Reject r) {
        return rejects[r.ordinal()];
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer ringBuffer, final int ringIndex,
                          final int ringLength) {
        framesIn.increment();
        MutableDirectBuffer buffer = ringBuffer;
        int index = ringIndex;
        int length = ringLength;
        if (seal != null) {
            // Nothing of a sealed frame but its clear header is read before it opens: the sender, view and layer
            // id a forger writes there are authenticated by the seal, not trusted.
            final FrameValidator.Reject s = FrameValidator.checkSealed(buffer, index, length, sealedMaxLength,
                groupId);
            if (s != null) {
                reject(s, senderOf(buffer, index, length));
                return;
            }
            final int n;
            try {
                n = seal.open(buffer, index, length, opened);
            } catch (final RuntimeException e) {
                // A seal must return FORGED for bad input; throwing is its bug (E1), reported as one.
                stack.handlerError("opening a sealed frame", e);
                return;
            }
            if (n < 0) {
                reject(switch (n) {
                    case FrameSeal.REPLAY -> FrameValidator.Reject.REPLAY;
                    case FrameSeal.UNVERIFIED -> FrameValidator.Reject.UNVERIFIED;
                    case FrameSeal.NO_KEY -> FrameValidator.Reject.NO_KEY;
                    default -> FrameValidator.Reject.FORGED;
                }, buffer.getLong(index + FrameHeader.SENDER_OFFSET, LE));
                return;
            }
            buffer = opened;
            index = 0;
            length = n;
        }
        final FrameValidator.Reject r = FrameValidator.check(buffer, index, length, maxFrameLength, groupId,
            minDataLength);
        if (r != null) {
            reject(r, senderOf(buffer, index, length));
            return;
        }
        header.wrap(buffer, index);
        stack.rtc.enter();
        try {
            // A control frame's header tag is not checked: joins come from outsiders, and a layer below membership
            // may send from onView, before InstallView reaches the bottom, so the header can name the old view.
            // Per-view control bodies carry their own tag, which the layer checks (PerViewLayer.sameView).
            if ((header.flags() & FrameHeader.FLAG_CONTROL) != 0) {
                final Slot slot = chain.controlSlot(header.layerId());
                if (slot == null) {
                    reject(FrameValidator.Reject.MALFORMED, header.sender());
                    return;
                }
                slot.active++;
                slot.layer.onControl(slot, msg.wrap(buffer, index, length, FrameHeader.LENGTH));
                slot.active--;
                return;
            }
            final FrameValidator.Reject notForView = checkView(stack.view());
            if (notForView != null) {
                reject(notForView, header.sender());
                return;
            }
            final Message m = msg.wrap(buffer, index, length, chain.headroom);
            final Slot bottom = chain.bottomDeliver;
            if (bottom == null) {
                stack.topDeliver(m);
            } else if (length < bottom.bodyOffset()) {
                reject(FrameValidator.Reject.MALFORMED, m.sender());
            } else {
                bottom.active++;
                bottom.layer.onDeliver(bottom, m);
                bottom.active--;
            }
        } catch (final RuntimeException e) {
            stack.handlerError("inbound frame", e);
        } finally {
            stack.rtc.exit();
            stack.rtc.runDeferred();
        }
    }

    private static long senderOf(final MutableDirectBuffer buffer, final int index, final int length) {
        return length >= FrameHeader.SENDER_OFFSET + 8 ? buffer.getLong(index + FrameHeader.SENDER_OFFSET, LE) : 0;
    }

    private FrameValidator.Reject checkView(final View v) {
        if (v == null) {
            return FrameValidator.Reject.FUTURE_VIEW;
        }
        final long epoch = header.viewEpoch();
        if (epoch != v.id().epoch()) {
            return epoch < v.id().epoch() ? FrameValidator.Reject.STALE_VIEW : FrameValidator.Reject.FUTURE_VIEW;
        }
        if (header.viewTag() != stack.viewTag()) {
            return FrameValidator.Reject.OTHER_VIEW;
        }
        return v.rankOfKey(header.sender()) < 0 ? FrameValidator.Reject.NONMEMBER : null;
    }

    /** Drops a frame: counted by reason, reported to the observer (the simulator's trace). */
    void reject(final FrameValidator.Reject r, final long sender) {
        rejects[r.ordinal()].increment();
        if (observer != null) {
            observer.onReject(r, sender);
        }
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: dropped frame from {1}: {2}", stack.roleName(), sender, r);
        }
    }
}
