package io.cairn.transport.udp;

import io.cairn.stack.spi.ReceivePoller;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads the UDP transport's sockets in one of two ways (see the package documentation): on the thread of the one
 * owner that claimed it ({@link #claim}), which polls and waits in the sockets' readiness, or on the transport's own
 * threads, one per socket. The own threads start when a stack binds with no owner, when a second owner asks, or
 * when the owner lets go while stacks are still bound; once started they read until close. A socket is read by one
 * thread at a time, so the datagrams of each sender reach the stacks in the order the socket received them.
 */
final class ReceiveSide implements ReceivePoller {
    /** Datagrams read from each socket per poll, so that one busy socket cannot starve the stacks' other work. */
    private static final int DATAGRAMS_PER_POLL = 16;

    /** Tells the transport where a member's frames come from. */
    interface Learner {
        void learn(long memberKey, InetSocketAddress from);
    }

    private final String nodeName;
    private final DatagramChannel[] channels;
    private final String[] names;
    private final FrameSplitter[] splitters;
    private final FrameSplitter.Groups groups;
    private final Learner learner;
    private final boolean onStackThread;
    /** How long a frame waits for room in a full inbound queue, held by the owner or waited for by a thread. */
    private final long fullQueueWaitNs;
    /** Held while the owner reads: the own threads start only after the owner's last read has ended. */
    private final ReentrantLock reading = new ReentrantLock();
    /** The owner's buffer: untouched once the own threads read, each with its own. */
    private final Reader reader = new Reader();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Selector> threadSelectors = new ArrayList<>();
    /** The owner's wait: readiness of every socket, or a wakeup (opened at the first claim). */
    private volatile Selector selector;
    /** Who polls (guarded by this); null: no one. */
    private Object owner;
    /** The owner's thread while it parks instead of selecting (a frame held, or closed): what a wakeup unparks. */
    private volatile Thread parked;
    /** The socket whose datagram, in the owner's reader, has a frame held for room from {@link #at} on (-1: none). */
    private int held = -1;
    private int at;
    private long heldSince;
    private volatile boolean threaded;
    private volatile boolean closed;

    /**
     * @param nodeName       for thread names
     * @param channels       the sockets (made non-blocking here)
     * @param names          each socket's name in its thread's name
     * @param groups         where frames of a group go
     * @param learner        told each well-framed frame's sender and source address
     * @param onStackThread  whether an owner may claim the reading ({@code receive-on-stack-thread})
     * @param fullQueueWaitNs how long a frame waits for room in a full inbound queue ({@code full-queue-wait})
     */
    ReceiveSide(final String nodeName, final DatagramChannel[] channels, final String[] names,
                final FrameSplitter.Groups groups, final Learner learner, final boolean onStackThread,
                final long fullQueueWaitNs) throws IOException {
        this.nodeName = nodeName;
        this.channels = channels;
        this.names = names;
        this.groups = groups;
        this.learner = learner;
        this.onStackThread = onStackThread;
        this.fullQueueWaitNs = fullQueueWaitNs;
        this.splitters = new FrameSplitter[channels.length];
        for (int i = 0; i < channels.length; i++) {
            splitters[i] = new FrameSplitter(fullQueueWaitNs);
            channels[i].configureBlocking(false);
        }
    }

    /** @return the poller for {@code o}'s thread, or null when the own threads read (see the class comment) */
    synchronized ReceivePoller claim(final Object o) {
        if (closed || threaded || !onStackThread) {
            return null;
        }
        if (owner != null && owner != o) {
            startThreads();
            return null;
        }
        if (selector == null) {
            try {
                final Selector s = Selector.open();
                for (final DatagramChannel c : channels) {
                    c.register(s, SelectionKey.OP_READ);
                }
                selector = s;
            } catch (final IOException e) {
                throw new UncheckedIOException("udp transport of " + nodeName + ": cannot wait on its sockets", e);
            }
        }
        owner = o;
        return this;
    }

    /**
     * {@code o}'s thread no longer polls; stacks still bound are read by the own threads. {@code bound} is asked
     * under this lock, which {@link #bound()} takes after a stack's binding is in place: either sees the other.
     */
    synchronized void release(final Object o, final java.util.function.BooleanSupplier bound) {
        if (owner == o) {
            owner = null;
            if (bound.getAsBoolean()) {
                startThreads();
            }
        }
    }

    /** A stack bound: with no owner to poll for it, the own threads read. */
    synchronized void bound() {
        if (owner == null) {
            startThreads();
        }
    }

    private void startThreads() {
        if (threaded || closed) {
            return;
        }
        // What can fail comes first: if it does, an owner still reads.
        final Selector[] own = new Selector[channels.length];
        try {
            for (int i = 0; i < channels.length; i++) {
                own[i] = Selector.open();
                channels[i].register(own[i], SelectionKey.OP_READ);
            }
        } catch (final IOException e) {
            for (final Selector x : own) {
                close(x);
            }
            throw new UncheckedIOException("udp transport of " + nodeName + ": cannot start its receivers", e);
        }
        reading.lock();
        try {
            threaded = true;
            if (held >= 0) {
                // A frame the owner held goes (or is dropped) before anything the threads read: order is kept.
                split(held, FrameSplitter.Full.DROP);
            }
        } finally {
            reading.unlock();
        }
        final Selector s = selector;
        if (s != null) {
            // The owner's waits now end by a wakeup only (its frames arrive through the inbound queue).
            for (final SelectionKey k : s.keys()) {
                k.cancel();
            }
        }
        for (int i = 0; i < channels.length; i++) {
            final DatagramChannel c = channels[i];
            final FrameSplitter sp = splitters[i];
            final Selector sel = own[i];
            threadSelectors.add(sel);
            final Thread t = new Thread(() -> receiveLoop(c, sp, sel), "cairn-udp-" + names[i] + "-" + nodeName);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    @Override
    public int poll() {
        if (threaded || closed || !reading.tryLock()) {
            return 0;
        }
        try {
            if (threaded || closed) {
                return 0;
            }
            if (held >= 0) {
                final int was = at;
                final boolean expired = System.nanoTime() - heldSince > fullQueueWaitNs;
                if (!split(held, expired ? FrameSplitter.Full.DROP : FrameSplitter.Full.HOLD)) {
                    if (at != was) {
                        heldSince = System.nanoTime(); // another frame of the datagram: its own wait
                    }
                    return 0;
                }
            }
            int n = 0;
            for (int i = 0; i < channels.length; i++) {
                for (int k = 0; k < DATAGRAMS_PER_POLL && receive(i); k++) {
                    n++;
                    if (!split(i, FrameSplitter.Full.HOLD)) {
                        heldSince = System.nanoTime();
                        return n; // a stack's queue is full: read nothing more until it has room
                    }
                }
            }
            return n;
        } finally {
            reading.unlock();
        }
    }

    /** @return whether a datagram from socket {@code i} is now in the owner's reader */
    private boolean receive(final int i) {
        try {
            if (!reader.receive(channels[i], splitters[i])) {
                return false;
            }
            at = 0;
            return true;
        } catch (final ClosedChannelException e) {
            return false;
        } catch (final IOException | RuntimeException e) {
            splitters[i].malformed.incrementAndGet();
            return false;
        }
    }

    /**
     * Hands the frames of the datagram in the owner's reader, from {@link #at} on, to their stacks.
     *
     * @return true when all went; false when a frame is held for room (and the datagram with it)
     */
    private boolean split(final int channel, final FrameSplitter.Full full) {
        try {
            at = splitters[channel].split(reader.view, at, reader.length, groups, reader.learn, full);
        } catch (final RuntimeException e) {
            // A receiver that threw must not stop the reading: the rest of the datagram is lost, like a bad one.
            splitters[channel].malformed.incrementAndGet();
            at = reader.length;
        }
        held = at < reader.length ? channel : -1;
        return held < 0;
    }

    @Override
    public void await(final long nanos) {
        final Selector s = selector;
        if (closed || held >= 0) {
            // Closed under a running stack, or waiting for room (the sockets are readable, so a select would
            // return at once): park, ended by a wakeup, rather than spin.
            parked = Thread.currentThread();
            LockSupport.parkNanos(this, nanos);
            parked = null;
            return;
        }
        try {
            s.select(Math.max(1, (nanos + 999_999) / 1_000_000));
            s.selectedKeys().clear();
        } catch (final IOException | ClosedSelectorException e) {
            // closing: the next wait parks
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
        final Thread t = parked;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void receiveLoop(final DatagramChannel c, final FrameSplitter s, final Selector own) {
        final Reader r = new Reader();
        while (!closed) {
            try {
                if (r.receive(c, s)) {
                    s.split(r.view, 0, r.length, groups, r.learn, FrameSplitter.Full.WAIT);
                } else {
                    own.select();
                    own.selectedKeys().clear();
                }
            } catch (final ClosedChannelException | ClosedSelectorException e) {
                return;
            } catch (final IOException | RuntimeException e) {
                // A bad datagram or a receiver that threw must not stop the receiver.
                s.malformed.incrementAndGet();
            }
        }
    }

    /** One reading thread's datagram buffer and the source of what it holds. */
    private final class Reader {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
        InetSocketAddress source;
        int length;
        final FrameSplitter.Learner learn = (key, group) -> learner.learn(key, source);

        /** @return whether a datagram from {@code c} is now in the buffer (counted by {@code s}); false: none waits */
        boolean receive(final DatagramChannel c, final FrameSplitter s) throws IOException {
            buffer.clear();
            final SocketAddress from = c.receive(buffer);
            if (from == null) {
                return false;
            }
            source = (InetSocketAddress) from;
            length = buffer.position();
            s.received();
            return true;
        }
    }

    /** Adds the sockets' counters to {@code out}. */
    void stats(final Map<String, Long> out) {
        for (final FrameSplitter s : splitters) {
            out.merge("datagrams", s.datagrams.get(), Long::sum);
            out.merge("frames", s.frames.get(), Long::sum);
            out.merge("malformed", s.malformed.get(), Long::sum);
            out.merge("unknown_group", s.unknownGroup.get(), Long::sum);
            out.merge("dropped", s.dropped.get(), Long::sum);
            out.merge("waits", s.waits.get(), Long::sum);
        }
        out.put("receive_threads", (long) threadCount());
    }

    /** @return how many own threads read (0 while an owner polls) */
    synchronized int threadCount() {
        return threads.size();
    }

    /** Stops the threads and the owner's waits; call after the sockets are closed. */
    void close() {
        final List<Thread> ts;
        synchronized (this) {
            closed = true;
            ts = new ArrayList<>(threads);
            threadSelectors.forEach(ReceiveSide::close);
            close(selector);
        }
        final Thread t = parked;
        if (t != null) {
            LockSupport.unpark(t);
        }
        for (final Thread x : ts) {
            try {
                x.join(1000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(final Selector s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (final IOException ignored) {
            // closing: nothing to do
        }
    }
}
