package io.cairn.stack.event;

import io.cairn.api.View;

/**
 * A new view. The membership layer sends it up (layers above and the application) and down (layers below start
 * their per-view state; the bottom of the stack starts stamping frames with the new view id and drops frames of
 * older views).
 *
 * @param view the installed view
 */
public record ViewInstalled(View view) implements UpEvent, DownEvent {
}
