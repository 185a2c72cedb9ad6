package io.cairn.stack.event;

import io.cairn.api.View;

/**
 * A new view, on its way up to the layers above membership and to the application (or up from the bottom, for a
 * static view). The layers below membership learn of it from {@link InstallView}.
 *
 * @param view the installed view
 */
public record ViewInstalled(View view) implements UpEvent {
}
