package io.cairn.stack.spi;

import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.event.View;
import io.cairn.stack.event.ViewInstalled;

/**
 * Base for layers whose state lives per view (DESIGN.md §2): {@link #onView} runs whenever a view passes this
 * layer, whichever way it travels — up from a static view at the bottom, or down from a membership layer above —
 * and the event continues. Subclasses that handle other events override {@code onUpEvent}/{@code onDownEvent} and
 * call {@code super} for the rest.
 */
public abstract class PerViewLayer implements Layer {
    /**
     * A new view reached this layer: start its state.
     *
     * @param ctx  context
     * @param view the view
     */
    protected abstract void onView(LayerContext ctx, View view);

    @Override
    public void onUpEvent(final LayerContext ctx, final UpEvent event) {
        if (event instanceof ViewInstalled vi) {
            onView(ctx, vi.view());
        }
        ctx.up(event);
    }

    @Override
    public void onDownEvent(final LayerContext ctx, final DownEvent event) {
        if (event instanceof ViewInstalled vi) {
            onView(ctx, vi.view());
        }
        ctx.down(event);
    }
}
