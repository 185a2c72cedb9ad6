package io.cairn.stack.event;

/**
 * The application has seen the view of this epoch: the runtime sends it down through the command ring, behind every
 * cast offered before the application saw the view. Casts a layer queued for a view (offered before the first view
 * or during a flush) go out only after it, so a member whose stack exits before its application sees the view (a
 * joiner whose state transfer is interrupted) sends nothing in it.
 *
 * @param epoch epoch of the view the application saw
 */
public record ViewOk(long epoch) implements DownEvent {
}
