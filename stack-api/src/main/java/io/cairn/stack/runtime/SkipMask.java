package io.cairn.stack.runtime;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;

/**
 * Which handlers a layer overrides (Netty's {@code ChannelHandlerMask}). Computed once per layer class at
 * assembly; the runtime links each slot to the next slot that overrides a handler, so layers that merely pass an
 * event through are never called for it.
 */
final class SkipMask {
    static final int CAST = 1;
    static final int SEND = 2;
    static final int DOWN_EVENT = 4;
    static final int DELIVER = 8;
    static final int UP_EVENT = 16;

    private SkipMask() {
    }

    static int of(final Layer layer) {
        final Class<?> type = layer.getClass();
        int mask = 0;
        mask |= overrides(type, "onCast", Message.class) ? CAST : 0;
        mask |= overrides(type, "onSend", Message.class) ? SEND : 0;
        mask |= overrides(type, "onDownEvent", DownEvent.class) ? DOWN_EVENT : 0;
        mask |= overrides(type, "onDeliver", Message.class) ? DELIVER : 0;
        mask |= overrides(type, "onUpEvent", UpEvent.class) ? UP_EVENT : 0;
        return mask;
    }

    private static boolean overrides(final Class<?> type, final String method, final Class<?> arg) {
        try {
            return type.getMethod(method, LayerContext.class, arg).getDeclaringClass() != Layer.class;
        } catch (final NoSuchMethodException e) {
            throw new IllegalStateException("Layer." + method + " missing", e);
        }
    }
}
