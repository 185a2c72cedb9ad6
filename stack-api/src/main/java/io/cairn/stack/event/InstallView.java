package io.cairn.stack.event;

import io.cairn.api.View;

/**
 * The membership layer's order to the layers below it: the view starts here. They start its per-view state, and the
 * bottom of the stack stamps frames with its tag and drops frames of other views. Above membership, the same view
 * travels up as {@link ViewInstalled}.
 *
 * @param view the view
 */
public record InstallView(View view) implements DownEvent {
}
