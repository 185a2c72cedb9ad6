package io.cairn.stack.event;

/**
 * An indication travelling up the stack. Deliveries are the data path and travel as {@link Message} flyweights
 * through {@code Layer.onDeliver}; everything else travels as one of these objects through {@code Layer.onUpEvent}.
 * A custom layer may define its own by implementing {@link Custom}.
 */
public sealed interface UpEvent permits ViewInstalled, Blocked, Suspected, Stable, Exited, FlushCompleted,
    StateSnapshotRequest, StateChunk, UpEvent.Custom {
    /** Base of up events defined by custom layers. */
    non-sealed interface Custom extends UpEvent {
    }
}
