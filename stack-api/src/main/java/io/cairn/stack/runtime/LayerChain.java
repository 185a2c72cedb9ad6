package io.cairn.stack.runtime;

import io.cairn.stack.spi.FrameSeal;
import io.cairn.stack.wire.FrameHeader;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.List;

/**
 * A stack's layers, bottom first, linked per kind of traffic: each slot points at the next layer that overrides
 * the handler (from the {@link SkipMask}), and the chain knows the first such layer at either end. Each layer's
 * header slot follows the frame header and the headers of the layers below it.
 */
final class LayerChain {
    final Slot[] slots;
    /** Frame header plus all layer headers. */
    final int headroom;
    final Slot topCast;
    final Slot topSend;
    final Slot topDown;
    final Slot bottomDeliver;
    final Slot bottomUp;
    /** The bottom layer when it seals frames, else null. */
    final FrameSeal seal;
    private final Int2ObjectHashMap<Slot> controlSlots = new Int2ObjectHashMap<>();

    LayerChain(final StackRuntime stack, final List<StackParams.LayerEntry> entries) {
        slots = new Slot[entries.size()];
        int offset = FrameHeader.LENGTH;
        for (int i = 0; i < slots.length; i++) {
            final StackParams.LayerEntry e = entries.get(i);
            slots[i] = new Slot(stack, i, e.name(), e.layer(), e.settings(), offset);
            offset += e.layer().headerLength();
            if (controlSlots.put(e.layer().layerId(), slots[i]) != null) {
                throw new IllegalArgumentException("two layers share layer id " + e.layer().layerId());
            }
        }
        headroom = offset;
        for (int i = 1; i < slots.length; i++) {
            if (slots[i].layer instanceof FrameSeal) {
                throw new IllegalArgumentException("layer '" + slots[i].name + "' seals frames, so it must be the "
                    + "bottom layer of the stack (first in the layer list), right above the transport");
            }
        }
        seal = slots.length > 0 && slots[0].layer instanceof FrameSeal fs ? fs : null;
        for (final Slot s : slots) {
            s.castNext = firstDown(s.index - 1, SkipMask.CAST);
            s.sendNext = firstDown(s.index - 1, SkipMask.SEND);
            s.downNext = firstDown(s.index - 1, SkipMask.DOWN_EVENT);
            s.deliverNext = firstUp(s.index + 1, SkipMask.DELIVER);
            s.upNext = firstUp(s.index + 1, SkipMask.UP_EVENT);
        }
        topCast = firstDown(slots.length - 1, SkipMask.CAST);
        topSend = firstDown(slots.length - 1, SkipMask.SEND);
        topDown = firstDown(slots.length - 1, SkipMask.DOWN_EVENT);
        bottomDeliver = firstUp(0, SkipMask.DELIVER);
        bottomUp = firstUp(0, SkipMask.UP_EVENT);
    }

    /** @return the layer whose control frames carry {@code layerId}, or null */
    Slot controlSlot(final int layerId) {
        return controlSlots.get(layerId);
    }

    /** @return the shortest data frame the bottom layer that reads data can take */
    int minDataLength() {
        return bottomDeliver != null ? bottomDeliver.bodyOffset() : headroom;
    }

    private Slot firstDown(final int from, final int bit) {
        for (int i = from; i >= 0; i--) {
            if ((slots[i].mask & bit) != 0) {
                return slots[i];
            }
        }
        return null;
    }

    private Slot firstUp(final int from, final int bit) {
        for (int i = from; i < slots.length; i++) {
            if ((slots[i].mask & bit) != 0) {
                return slots[i];
            }
        }
        return null;
    }
}
