package io.cairn.stack.event;

import io.cairn.api.MemberId;
import java.io.InputStream;

/**
 * The state-transfer layer asks the application, synchronously and at the cut (a new view was just installed and
 * nothing of it is delivered yet), for a snapshot of its state to send to {@code joiner}. The application answers
 * with {@link #provide(InputStream)} (null, or not answering, means "no state"); the stream is read in bounded
 * chunks as the transfer proceeds, so a large state never needs one buffer.
 */
public final class StateSnapshotRequest implements UpEvent {
    private final MemberId joiner;
    private InputStream stream;

    /**
     * @param joiner the member that will receive the state
     */
    public StateSnapshotRequest(final MemberId joiner) {
        this.joiner = joiner;
    }

    /** @return the joining member */
    public MemberId joiner() {
        return joiner;
    }

    /**
     * @param state the snapshot, read later on the stack's thread and closed at the end
     */
    public void provide(final InputStream state) {
        this.stream = state;
    }

    /** @return the snapshot provided, or null */
    public InputStream stream() {
        return stream;
    }
}
