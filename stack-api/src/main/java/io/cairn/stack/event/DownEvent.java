package io.cairn.stack.event;

/**
 * A request travelling down the stack. Casts and sends are the data path and do not allocate event objects: they
 * travel as {@link Message} flyweights through {@code Layer.onCast} and {@code Layer.onSend}. Everything else is
 * rare and travels as one of these objects through {@code Layer.onDownEvent}. A custom layer may define its own by
 * implementing {@link Custom}. An event has one direction: none is both a {@code DownEvent} and an {@link UpEvent}.
 */
public sealed interface DownEvent permits Join, Leave, BlockOk, ViewOk, Flush, InstallView, Trim, FlushRequest, SyncTo, FlushHolding,
    DownEvent.Custom {
    /** Base of down events defined by custom layers. */
    non-sealed interface Custom extends DownEvent {
    }
}
