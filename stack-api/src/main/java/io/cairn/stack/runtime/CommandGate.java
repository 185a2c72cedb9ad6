package io.cairn.stack.runtime;

import io.cairn.stack.event.BlockOk;
import io.cairn.stack.event.Blocked;
import io.cairn.stack.event.DownEvent;
import io.cairn.stack.event.UpEvent;
import io.cairn.stack.event.ViewInstalled;
import io.cairn.stack.event.ViewOk;

import java.util.ArrayDeque;

/**
 * What the command ring lets through. Casts are held while any layer holds them (flow control without credit), but
 * the ring always drains up to an acknowledgement the runtime wrote into it ({@link BlockOk} after {@code Blocked},
 * {@link ViewOk} after a view): a flush or a view must never wait for credit, and every cast offered before the
 * application saw the event comes down before the acknowledgement. An acknowledgement the ring had no room for
 * waits here, and new casts are refused until it is in, so none overtakes it.
 */
final class CommandGate {
    private final StackInputs in;
    /** Written on the stack's thread, read by application threads offering casts. */
    private volatile boolean refuseCasts;
    private int castHolders;
    private int acksInRing;
    private final ArrayDeque<DownEvent> pending = new ArrayDeque<>(2);

    CommandGate(final StackInputs in) {
        this.in = in;
    }

    /** @return whether an application thread may offer a cast now */
    boolean acceptsCasts() {
        return !refuseCasts;
    }

    /** @return whether the stack's thread reads casts from the ring now */
    boolean mayRead() {
        // With an acknowledgement waiting for room, everything in the ring was offered before it: drain it.
        return castHolders == 0 || acksInRing > 0 || !pending.isEmpty();
    }

    /** A layer starts or stops holding casts; holds are counted per layer by the caller. */
    void hold(final boolean hold) {
        castHolders += hold ? 1 : -1;
        update();
    }

    /**
     * An event reached the application. After {@code Blocked}, {@code BlockOk} goes into the command ring behind
     * every cast the application offered before it learnt of the flush, which therefore go out in the current view;
     * casts offered after it follow and go out in the next view. After a view, {@code ViewOk} goes in the same way:
     * casts queued for the view go out only once the application has seen it.
     */
    void upcalled(final UpEvent e) {
        if (e instanceof Blocked) {
            pending.add(new BlockOk());
        } else if (e instanceof ViewInstalled vi) {
            pending.add(new ViewOk(vi.view().id().epoch()));
        } else {
            return;
        }
        offerPending();
    }

    /**
     * Retries acknowledgements the ring had no room for (stack's thread, every duty cycle).
     *
     * @return 1 when that let casts through again (work: waiting casts are told), else 0
     */
    int offerPending() {
        final boolean refused = refuseCasts;
        while (!pending.isEmpty()) {
            final DownEvent ack = pending.peek();
            final boolean in = ack instanceof ViewOk v ? this.in.offerViewOk(v.epoch()) : this.in.offerBlockOk();
            if (!in) {
                break;
            }
            pending.poll();
            acksInRing++;
        }
        update();
        return refused && !refuseCasts ? 1 : 0;
    }

    /** An acknowledgement was read from the ring. */
    void read() {
        acksInRing--;
    }

    private void update() {
        refuseCasts = castHolders > 0 || !pending.isEmpty();
    }
}
