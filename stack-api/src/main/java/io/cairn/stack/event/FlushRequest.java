package io.cairn.stack.event;

import io.cairn.api.MemberId;
import java.util.List;

/**
 * The membership layer asks the flush layer below it to flush the current view among {@code survivors}, for view
 * change attempt {@code attempt}, coordinated by {@code coordinator}. A later attempt supersedes an earlier one.
 *
 * @param attempt     attempt id, increasing
 * @param survivors   members of the current view that take part (the others are failed or leaving)
 * @param coordinator the member that gathers the flush
 */
public record FlushRequest(long attempt, List<MemberId> survivors, MemberId coordinator) implements DownEvent {
    /** Copies the survivors. */
    public FlushRequest {
        survivors = List.copyOf(survivors);
    }
}
