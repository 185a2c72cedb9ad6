package io.cairn.api;

import java.util.concurrent.locks.ReentrantLock;

/**
 * INVOKER mode's threads: which are inside the node's duty cycles (and so inside its upcalls), and that one at a
 * time runs them. Any thread may drive the node, and a cast that waits for room drives it too; two at once would
 * run one stack, which is single-threaded by design, on two threads.
 */
final class InvokerDriver {
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final ReentrantLock driving = new ReentrantLock();

    /** @return whether the calling thread is inside a duty cycle or a stack's start, so inside an upcall */
    boolean inside() {
        return depth.get()[0] > 0;
    }

    /**
     * Enters a duty cycle; {@link #exit()} follows.
     *
     * @param node for the message
     * @return false, after a yield, while another thread runs one (nothing to exit then)
     * @throws IllegalStateException inside one of the node's upcalls
     */
    boolean enter(final Object node) {
        if (inside()) {
            throw new IllegalStateException(node + ": doWork() inside one of the node's upcalls would run the stacks"
                + " under themselves");
        }
        if (!driving.tryLock()) {
            Thread.yield();
            return false;
        }
        depth.get()[0]++;
        return true;
    }

    void exit() {
        depth.get()[0]--;
        driving.unlock();
    }

    /**
     * Runs {@code action} while no duty cycle can run (not counted as inside an upcall), for stopping a stack from a
     * thread outside the node.
     *
     * @return false, and nothing run, while another thread runs one
     */
    boolean runHeld(final Runnable action) {
        if (!driving.tryLock()) {
            return false;
        }
        try {
            action.run();
        } finally {
            driving.unlock();
        }
        return true;
    }

    /**
     * Starts a stack on the calling thread, counted as inside (a stack without membership installs its view, and
     * so calls onView, as it starts). Not under the lock: the node keeps the group from duty cycles until started.
     */
    void start(final Runnable onStart) {
        depth.get()[0]++;
        try {
            onStart.run();
        } finally {
            depth.get()[0]--;
        }
    }
}
