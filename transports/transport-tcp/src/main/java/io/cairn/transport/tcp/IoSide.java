package io.cairn.transport.tcp;

import io.cairn.stack.spi.ReceivePoller;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedSelectorException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who runs the TCP transport's I/O loop (see the package documentation): the thread of the one owner that claimed
 * it ({@link #claim}), which turns the loop without blocking after each duty cycle and waits in the selector when
 * idle, or the transport's own I/O thread. The own thread starts when a stack binds with no owner, when a second
 * owner asks, or when the owner lets go while stacks are still bound; once started it runs the loop until close.
 * The loop's state (connections, dials, buffers) is touched only under {@link #loop}, by one thread at a time.
 */
final class IoSide implements ReceivePoller {
    /** One turn of the I/O loop. */
    interface Turn {
        /**
         * @param block wait in the selector for readiness (up to the next dial) unless input is stalled
         * @return how many channels had something to do
         */
        int turn(boolean block) throws IOException;

        /** @return whether a connection's input waits for room in a stack (the sockets are not waited on then) */
        boolean stalled();

        /** Writes what stacks have queued on every connection. */
        void writePending();
    }

    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());

    private final String nodeName;
    private final Turn turn;
    private final java.nio.channels.Selector selector;
    private final boolean onStackThread;
    /** Held while the loop turns: the own thread takes it for good, after the owner's last turn has ended. */
    private final ReentrantLock loop = new ReentrantLock();
    /** Who turns the loop (guarded by this); null: no one. */
    private Object owner;
    private Thread thread;
    /** The owner's thread once it has polled: what it queues needs no wakeup, as it writes after its cycle. */
    private volatile Thread polling;
    /** The owner's thread while it parks instead of selecting: what a wakeup unparks. */
    private volatile Thread parked;
    /** The node's identity is known (a stack bound): the loop may run. */
    private volatile boolean started;
    private volatile boolean threaded;
    private volatile boolean closed;
    private boolean failedLogged;

    /**
     * @param nodeName      for the thread's name
     * @param turn          the loop
     * @param selector      the loop's selector
     * @param onStackThread whether an owner may claim the loop ({@code io-on-stack-thread})
     */
    IoSide(final String nodeName, final Turn turn, final java.nio.channels.Selector selector,
           final boolean onStackThread) {
        this.nodeName = nodeName;
        this.turn = turn;
        this.selector = selector;
        this.onStackThread = onStackThread;
    }

    /** @return the poller for {@code o}'s thread, or null when the own thread runs the loop */
    synchronized ReceivePoller claim(final Object o) {
        if (closed || threaded || !onStackThread) {
            return null;
        }
        if (owner != null && owner != o) {
            startThread();
            return null;
        }
        owner = o;
        return this;
    }

    /**
     * {@code o}'s thread no longer polls: once the loop has run, the own thread runs it, bound stacks or not, as
     * peers keep sending on the connections and must not find them stalled.
     */
    synchronized void release(final Object o) {
        if (owner == o) {
            owner = null;
            if (started) {
                startThread();
            }
        }
    }

    /** A stack bound (the node's identity is set): with no owner to poll for it, the own thread runs the loop. */
    synchronized void bound() {
        started = true;
        if (owner == null) {
            startThread();
        }
    }

    private void startThread() {
        if (threaded || closed) {
            return;
        }
        polling = null;
        threaded = true;
        final Thread t = new Thread(this::run, "cairn-tcp-" + nodeName);
        t.setDaemon(true);
        thread = t;
        t.start();
        // An owner waiting in the selector stops: its next waits park (one selector, one selecting thread).
        selector.wakeup();
    }

    private void run() {
        loop.lock();
        try {
            // What the owner's stacks queued before the handover, whose wakeup the owner skipped.
            turn.writePending();
            while (!closed) {
                turn.turn(true);
            }
        } catch (final IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.ERROR, "tcp transport of " + nodeName + " stopped", e);
            }
        } finally {
            loop.unlock();
        }
    }

    @Override
    public int poll() {
        if (!started || threaded || closed || !loop.tryLock()) {
            return 0;
        }
        try {
            if (threaded || closed) {
                return 0;
            }
            final Thread me = Thread.currentThread();
            if (polling != me) {
                polling = me;
            }
            return turn.turn(false);
        } catch (final IOException | RuntimeException e) {
            // The selector itself failed: log once, and try again at the next poll.
            if (!failedLogged) {
                failedLogged = true;
                LOG.log(System.Logger.Level.ERROR, "tcp transport of " + nodeName + ": I/O loop failed", e);
            }
            return 0;
        } finally {
            loop.unlock();
        }
    }

    @Override
    public void await(final long nanos) {
        // Selecting under the loop's lock: the own thread, once started, waits for this select to end (the
        // handover's wakeup ends it) instead of the two contending for the selector.
        if (!closed && !threaded && started && loop.tryLock()) {
            try {
                if (!closed && !threaded && !turn.stalled()) {
                    selector.select(Math.max(1, (nanos + 999_999) / 1_000_000));
                    selector.selectedKeys().clear();
                    return;
                }
            } catch (final IOException | ClosedSelectorException e) {
                return; // closing: the next wait parks
            } finally {
                loop.unlock();
            }
        }
        // Input waits for a stack (the sockets are readable, a select would return at once), the own thread runs
        // the loop, or nothing runs yet: park, ended by a wakeup, rather than spin.
        parked = Thread.currentThread();
        LockSupport.parkNanos(this, nanos);
        parked = null;
    }

    @Override
    public void wakeup() {
        selector.wakeup();
        final Thread t = parked;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * A stack queued frames (its channel's flush): the loop must write them. The owner's own thread writes them in
     * its next poll, right after its cycle, so only other threads, and the own thread's selector, need a wakeup.
     */
    void queued() {
        if (polling == Thread.currentThread()) {
            // The frames are in the queue before threaded is read; the handover sets threaded before the own
            // thread's first write: one of the two sees the other.
            VarHandle.fullFence();
            if (!threaded) {
                return;
            }
        }
        selector.wakeup();
    }

    /** @return whether the own thread runs the loop */
    boolean threaded() {
        return threaded;
    }

    /**
     * Stops the loop: the own thread ends, and an owner's polls return at once. {@code finish} then runs under the
     * loop's lock (closing the connections), after any turn in progress; not at all if that turn does not end.
     */
    void close(final Runnable finish) {
        final Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        selector.wakeup();
        final Thread p = parked;
        if (p != null) {
            LockSupport.unpark(p);
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean locked = false;
        try {
            locked = loop.tryLock(2, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            LOG.log(System.Logger.Level.WARNING, "tcp transport of " + nodeName
                + ": the I/O loop did not stop within 2 s; its connections are left to the sockets' close");
            return;
        }
        try {
            finish.run();
        } finally {
            loop.unlock();
        }
    }
}
