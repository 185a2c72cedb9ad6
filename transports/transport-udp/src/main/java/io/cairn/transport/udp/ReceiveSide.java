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
    /** Datagrams read from each socket per poll: bounded so that one poll cannot fill half an inbound queue. */
    private static final int DATAGRAMS_PER_POLL = 16;

    /** Tells the transport where a member's frames come from. */
    interface Learner {
        void learn(long memberKey, InetSocketAddress from);
    }

    /** Whether every bound stack has room for a poll's worth of frames. */
    interface Room {
        boolean everyoneHasRoom();
    }

    private final String nodeName;
    private final DatagramChannel[] channels;
    private final String[] names;
    private final FrameSplitter[] splitters;
    private final FrameSplitter.Groups groups;
    private final Learner learner;
    private final Room room;
    /** The owner's wait: readiness of every socket, or a wakeup (null when the setting keeps reading on threads). */
    private final Selector selector;
    /** Held while the owner reads: the own threads start only after the owner's last read has ended. */
    private final ReentrantLock reading = new ReentrantLock();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    private final UnsafeBuffer view = new UnsafeBuffer(buffer);
    private final InetSocketAddress[] source = new InetSocketAddress[1];
    private final FrameSplitter.Learner learnSource;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Selector> threadSelectors = new ArrayList<>();
    /** Who polls (guarded by this); null: no one. */
    private Object owner;
    private volatile boolean threaded;
    private volatile boolean closed;

    /**
     * @param nodeName       for thread names
     * @param channels       the sockets (made non-blocking here)
     * @param names          each socket's name in its thread's name
     * @param groups         where frames of a group go
     * @param learner        told each well-framed frame's sender and source address
     * @param room           whether the stacks can take a poll's frames
     * @param onStackThread  whether an owner may claim the reading ({@code receive-on-stack-thread})
     */
    ReceiveSide(final String nodeName, final DatagramChannel[] channels, final String[] names,
                final FrameSplitter.Groups groups, final Learner learner, final Room room,
                final boolean onStackThread) throws IOException {
        this.nodeName = nodeName;
        this.channels = channels;
        this.names = names;
        this.groups = groups;
        this.learner = learner;
        this.room = room;
        this.splitters = new FrameSplitter[channels.length];
        for (int i = 0; i < channels.length; i++) {
            splitters[i] = new FrameSplitter();
            channels[i].configureBlocking(false);
        }
        this.learnSource = (key, group) -> learner.learn(key, source[0]);
        if (onStackThread) {
            selector = Selector.open();
            for (final DatagramChannel c : channels) {
                c.register(selector, SelectionKey.OP_READ);
            }
        } else {
            selector = null;
        }
    }

    /** @return the poller for {@code o}'s thread, or null when the own threads read (see the class comment) */
    synchronized ReceivePoller claim(final Object o) {
        if (closed || threaded || selector == null) {
            return null;
        }
        if (owner == null || owner == o) {
            owner = o;
            return this;
        }
        startThreads();
        return null;
    }

    /** {@code o}'s thread no longer polls; stacks still bound ({@code bound}) are read by the own threads. */
    synchronized void release(final Object o, final boolean bound) {
        if (owner == o) {
            owner = null;
            if (bound) {
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
        reading.lock();
        try {
            threaded = true;
        } finally {
            reading.unlock();
        }
        if (selector != null) {
            // The owner's waits now end only by wakeup (its frames arrive through the inbound queue).
            for (final SelectionKey k : selector.keys()) {
                k.cancel();
            }
        }
        for (int i = 0; i < channels.length; i++) {
            final DatagramChannel c = channels[i];
            final FrameSplitter s = splitters[i];
            final Selector own;
            try {
                own = Selector.open();
                c.register(own, SelectionKey.OP_READ);
            } catch (final IOException e) {
                throw new UncheckedIOException("udp transport of " + nodeName + ": cannot start its receiver", e);
            }
            threadSelectors.add(own);
            final Thread t = new Thread(() -> receiveLoop(c, s, own), "cairn-udp-" + names[i] + "-" + nodeName);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    @Override
    public int poll() {
        if (threaded || closed || !room.everyoneHasRoom() || !reading.tryLock()) {
            return 0;
        }
        try {
            if (threaded || closed) {
                return 0;
            }
            int n = 0;
            for (int i = 0; i < channels.length; i++) {
                for (int k = 0; k < DATAGRAMS_PER_POLL && readOne(channels[i], splitters[i], false); k++) {
                    n++;
                }
            }
            return n;
        } finally {
            reading.unlock();
        }
    }

    /** @return whether a datagram was read (and handed on); false when none is waiting or the socket closed */
    private boolean readOne(final DatagramChannel c, final FrameSplitter s, final boolean waitForRoom) {
        try {
            buffer.clear();
            final SocketAddress from = c.receive(buffer);
            if (from == null) {
                return false;
            }
            source[0] = (InetSocketAddress) from;
            s.split(view, buffer.position(), groups, learnSource, waitForRoom);
            return true;
        } catch (final ClosedChannelException e) {
            return false;
        } catch (final IOException | RuntimeException e) {
            // A bad datagram or a receiver that threw must not stop the reading.
            s.malformed.incrementAndGet();
            return true;
        }
    }

    @Override
    public void await(final long nanos) {
        if (closed) {
            LockSupport.parkNanos(nanos); // closed under a running stack: wait like a park, do not spin
            return;
        }
        try {
            selector.select(Math.max(1, (nanos + 999_999) / 1_000_000));
            selector.selectedKeys().clear();
        } catch (final IOException | ClosedSelectorException e) {
            // closing
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    private void receiveLoop(final DatagramChannel c, final FrameSplitter s, final Selector own) {
        // Each thread has its own buffers: the owner's are its to use until the thread starts, and no longer after.
        final ByteBuffer bb = ByteBuffer.allocateDirect(65536);
        final UnsafeBuffer b = new UnsafeBuffer(bb);
        final InetSocketAddress[] from = new InetSocketAddress[1];
        final FrameSplitter.Learner learn = (key, group) -> learner.learn(key, from[0]);
        while (!closed) {
            try {
                bb.clear();
                final SocketAddress a = c.receive(bb);
                if (a == null) {
                    own.select();
                    own.selectedKeys().clear();
                    continue;
                }
                from[0] = (InetSocketAddress) a;
                s.split(b, bb.position(), groups, learn, true);
            } catch (final ClosedChannelException | ClosedSelectorException e) {
                return;
            } catch (final IOException | RuntimeException e) {
                s.malformed.incrementAndGet();
            }
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
            for (final Selector s : threadSelectors) {
                close(s);
            }
            if (selector != null) {
                close(selector);
            }
        }
        for (final Thread t : ts) {
            try {
                t.join(1000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(final Selector s) {
        try {
            s.close();
        } catch (final IOException ignored) {
            // closing: nothing to do
        }
    }
}
