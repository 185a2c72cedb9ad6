package io.cairn.transport.rdma;

import io.cairn.stack.wire.FrameHeader;
import io.cairn.transport.rdma.verbs.CompletionHandler;
import io.cairn.transport.rdma.verbs.MemoryRegion;
import io.cairn.transport.rdma.verbs.QueuePair;
import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * One queue pair to a peer node and the two rings over it. Driven only by the transport's thread, except
 * {@link #offer}, which stack threads call.
 *
 * <p>Registered region: {@code [0, S)} the inbound ring the peer writes into; {@code S} the word where the peer
 * writes how far it consumed of the ring this side writes (credit); {@code S+64} the source of this side's own
 * credit write; {@code S+128} and {@code S+192} the hello received and sent; {@code S+256} the staging copy of
 * the outbound ring (positions mirror the peer's ring, so one contiguous range is one write).
 * A ring record is {@code [length (int), unused (int), frame, padding to 8]}; length -1 pads to the ring's end.
 */
final class RdmaLink implements CompletionHandler {
    static final int HELLO_MAGIC = 0x48445243;
    static final int HELLO_LENGTH = 36;
    private static final long WR_HELLO_RECV = 1;
    private static final long WR_HELLO_SEND = 2;
    private static final long WR_IMM_RECV = 3;
    private static final long WR_DATA = 4;
    private static final long WR_CREDIT = 5;
    private static final int IMM_RECEIVES = 512;
    private static final int MAX_OUTSTANDING = 256;
    private static final int PAD = -1;

    final QueuePair qp;
    final MemoryRegion mr;
    final String dialledAddress;
    private final RdmaTransport transport;
    private final int size;
    private final int mask;
    private final int maxFrame;
    private final UnsafeBuffer ring;
    private final UnsafeBuffer staging;
    private final ManyToOneRingBuffer queue;
    private final ControlledMessageHandler stager = this::stage;

    long peerKey;
    volatile boolean ready;
    boolean broken;
    private long remoteRing;
    private int remoteRkey;
    private long remoteCredit;
    // outbound
    private long tail;
    private long posted;
    private int outstanding;
    // inbound
    private long head;
    private long announced;
    private long reported;

    RdmaLink(final RdmaTransport transport, final QueuePair qp, final MemoryRegion mr, final int size,
             final int maxFrame, final int queueBytes, final String dialledAddress) {
        this.transport = transport;
        this.qp = qp;
        this.mr = mr;
        this.size = size;
        this.mask = size - 1;
        this.maxFrame = maxFrame;
        this.dialledAddress = dialledAddress;
        this.ring = new UnsafeBuffer(mr.buffer(), 0, size);
        this.staging = new UnsafeBuffer(mr.buffer(), size + 256, size);
        this.queue = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(queueBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    static int regionLength(final int ringSize) {
        return 2 * ringSize + 256;
    }

    /** Posts the receives, then the hello naming this side's ring, credit word and node key. */
    void start(final long selfKey) throws VerbsException {
        qp.postRecv(WR_HELLO_RECV, mr, size + 128, 64);
        for (int i = 0; i < IMM_RECEIVES; i++) {
            qp.postRecv(WR_IMM_RECV, mr, 0, 0);
        }
        final UnsafeBuffer b = mr.buffer();
        final int h = size + 192;
        b.putInt(h, HELLO_MAGIC);
        b.putLong(h + 4, selfKey);
        b.putLong(h + 12, mr.address());
        b.putInt(h + 20, mr.rkey());
        b.putInt(h + 24, size);
        b.putLong(h + 28, mr.address() + size);
        qp.postSend(WR_HELLO_SEND, mr, h, HELLO_LENGTH);
    }

    // ------------------------------------------------------------------ stack threads

    boolean offer(final DirectBuffer b, final int offset, final int length) {
        return queue.write(1, b, offset, length);
    }

    boolean halfFull() {
        return queue.size() > queue.capacity() / 2;
    }

    // ------------------------------------------------------------------ transport thread

    /** @return work done: completions, frames consumed, frames staged */
    int doWork() {
        if (broken) {
            return 0;
        }
        int work = qp.poll(this, 64);
        if (qp.isBroken()) {
            broken = true;
            return work + 1;
        }
        if (!ready) {
            return work;
        }
        work += consume();
        work += queue.controlledRead(stager, 256);
        try {
            postStaged();
            credit(false);
        } catch (final VerbsException e) {
            broken = true;
        }
        return work;
    }

    @Override
    public void onCompletion(final long wrId, final int opcode, final int status, final int byteLength,
                             final int imm) {
        if (status != QueuePair.OK) {
            broken = true;
            return;
        }
        if (wrId == WR_IMM_RECV) {
            announced += imm & 0xFFFFFFFFL;
            try {
                qp.postRecv(WR_IMM_RECV, mr, 0, 0);
            } catch (final VerbsException e) {
                broken = true;
            }
        } else if (wrId == WR_HELLO_RECV) {
            hello(mr.buffer(), size + 128, byteLength);
        } else if (wrId == WR_DATA || wrId == WR_CREDIT) {
            outstanding--;
        }
    }

    private void hello(final UnsafeBuffer b, final int h, final int length) {
        if (length != HELLO_LENGTH || b.getInt(h) != HELLO_MAGIC || b.getInt(h + 24) != size) {
            transport.malformed.incrementAndGet();
            broken = true;
            return;
        }
        peerKey = b.getLong(h + 4);
        remoteRing = b.getLong(h + 12);
        remoteRkey = b.getInt(h + 20);
        remoteCredit = b.getLong(h + 28);
        ready = true;
        transport.linkReady(this);
    }

    private long peerConsumed() {
        return mr.buffer().getLongVolatile(size);
    }

    /** Copies one queued frame into the staging ring, if the peer's ring has room for it (credit). */
    private ControlledMessageHandler.Action stage(final int type, final MutableDirectBuffer b, final int offset,
                                                 final int length) {
        final int record = (8 + length + 7) & ~7;
        final long room = size - (tail - peerConsumed());
        int pos = (int) (tail & mask);
        if (pos + record > size) {
            final int pad = size - pos;
            if (room < pad + record || outstanding >= MAX_OUTSTANDING) {
                transport.creditStalls.incrementAndGet();
                return ControlledMessageHandler.Action.ABORT;
            }
            staging.putInt(pos, PAD);
            tail += pad;
            transport.wraps.incrementAndGet();
            try {
                postStaged();
            } catch (final VerbsException e) {
                broken = true;
                return ControlledMessageHandler.Action.ABORT;
            }
            pos = 0;
        } else if (room < record) {
            transport.creditStalls.incrementAndGet();
            return ControlledMessageHandler.Action.ABORT;
        }
        staging.putInt(pos, length);
        staging.putInt(pos + 4, 0);
        staging.putBytes(pos + 8, b, offset, length);
        tail += record;
        if ((tail & mask) == 0) {
            transport.wraps.incrementAndGet();
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /**
     * Writes (with immediate = their byte count) for everything staged since the last ones: one write, or two
     * when the range ends exactly at the ring's end and continues from its start.
     */
    private void postStaged() throws VerbsException {
        if (tail == posted || outstanding >= MAX_OUTSTANDING) {
            return;
        }
        final int from = (int) (posted & mask);
        final int length = (int) Math.min(tail - posted, size - from);
        qp.postWrite(WR_DATA, mr, size + 256 + from, length, remoteRing + from, remoteRkey, true, length, true);
        outstanding++;
        posted += length;
        if (posted != tail) {
            final int rest = (int) (tail - posted);
            qp.postWrite(WR_DATA, mr, size + 256, rest, remoteRing, remoteRkey, true, rest, true);
            outstanding++;
            posted = tail;
        }
    }

    /** Consumes announced records in order; stops where a stack's inbound queue is full (back-pressure). */
    private int consume() {
        int n = 0;
        while (head < announced) {
            final int pos = (int) (head & mask);
            final int length = ring.getInt(pos);
            if (length == PAD) {
                head += size - pos;
                continue;
            }
            final int record = (8 + length + 7) & ~7;
            if (length < FrameHeader.LENGTH || length > maxFrame || pos + record > size || head + record > announced) {
                // A peer that writes garbage cannot be resynchronised: drop the link (it is dialled again).
                transport.malformed.incrementAndGet();
                broken = true;
                return n;
            }
            if (!transport.deliver(this, ring, pos + 8, length)) {
                break;
            }
            head += record;
            n++;
        }
        return n;
    }

    /** Writes this side's consumed position into the peer's credit word once enough was consumed. */
    private void credit(final boolean force) throws VerbsException {
        final long unreported = head - reported;
        if (unreported == 0 || outstanding >= MAX_OUTSTANDING
            || !(force || unreported >= size / 4 || head == announced)) {
            return;
        }
        mr.buffer().putLong(size + 64, head);
        qp.postWrite(WR_CREDIT, mr, size + 64, 8, remoteCredit, remoteRkey, false, 0, true);
        outstanding++;
        reported = head;
    }

    void close() {
        broken = true;
        ready = false;
        qp.close();
    }
}
