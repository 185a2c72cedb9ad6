package io.cairn.stack.testsupport;

import io.cairn.stack.event.Message;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.runtime.StackListener;

/** The top of a stack for tests that look at the runtime, not at what it delivers: takes everything, keeps nothing. */
public final class QuietListener implements StackListener {
    @Override
    public void onDeliver(final long eventNo, final Message msg) {
    }

    @Override
    public void onEvent(final long eventNo, final UpEvent event) {
    }
}
