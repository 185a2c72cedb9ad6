package io.cairn.transport.rdma.verbs.emu;

import io.cairn.transport.rdma.verbs.CompletionHandler;
import io.cairn.transport.rdma.verbs.MemoryRegion;
import io.cairn.transport.rdma.verbs.QueuePair;
import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/** An emulated reliable-connected queue pair. Its methods run under the device's lock. */
final class EmuQueuePair implements QueuePair {
    private static final int RING = 1 << 12;

    final EmulatedVerbs device;
    final int number;
    final EmulatedVerbs.Peer peer;
    int remoteQp;
    volatile boolean connected;
    volatile boolean broken;
    private final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    /** Posted receives, a primitive ring (no allocation per message), bounded like a hardware receive queue. */
    private final long[] recvWrIds = new long[RING];
    private final MemoryRegion[] recvRegions = new MemoryRegion[RING];
    private final int[] recvOffsets = new int[RING];
    private final int[] recvLengths = new int[RING];
    private int recvHead;
    private int recvTail;
    /** Arrivals waiting for a receive to be posted (receiver-not-ready: retried, as with rnr_retry = 7). */
    private final ArrayDeque<Object[]> waiting = new ArrayDeque<>();
    /** Completions as parallel primitive rings: no allocation per message. */
    private final long[] wrIds = new long[RING];
    private final long[] readyAt = new long[RING];
    private final int[] opcodes = new int[RING];
    private final int[] lengths = new int[RING];
    private final int[] imms = new int[RING];
    private final int[] statuses = new int[RING];
    private int head;
    private int tail;
    private final ArrayDeque<long[]> overflow = new ArrayDeque<>();

    EmuQueuePair(final EmulatedVerbs device, final int number, final EmulatedVerbs.Peer peer) {
        this.device = device;
        this.number = number;
        this.peer = peer;
    }

    @Override
    public void postRecv(final long wrId, final MemoryRegion region, final int offset, final int length)
        throws VerbsException {
        synchronized (device) {
            check();
            if (recvTail - recvHead == RING) {
                throw new VerbsException(device.provider() + " verbs: receive queue full (" + RING + " posted)");
            }
            final int i = recvTail++ & (RING - 1);
            recvWrIds[i] = wrId;
            recvRegions[i] = region;
            recvOffsets[i] = offset;
            recvLengths[i] = length;
            while (!waiting.isEmpty() && recvHead != recvTail) {
                final Object[] w = waiting.poll();
                deliver((int) w[0], (byte[]) w[1], (int) w[2], (int) w[3]);
            }
        }
    }

    @Override
    public void postSend(final long wrId, final MemoryRegion region, final int offset, final int length)
        throws VerbsException {
        synchronized (device) {
            check();
            final UnsafeBuffer body = new UnsafeBuffer(new byte[4 + length]);
            body.putInt(0, remoteQp);
            body.putBytes(4, region.buffer(), offset, length);
            if (!device.post(peer, EmulatedVerbs.SEND, body, 4 + length)) {
                fail(true);
                return;
            }
            complete(wrId, SEND, OK, 0, 0, 0);
        }
    }

    @Override
    public void postWrite(final long wrId, final MemoryRegion region, final int offset, final int length,
                          final long remoteAddress, final int rkey, final boolean withImm, final int imm,
                          final boolean signaled) throws VerbsException {
        synchronized (device) {
            check();
            if (!EmulatedVerbs.inRegion(peer, remoteAddress, length, rkey) || !peer.open()) {
                // Remote access error: the work request fails and the queue pair moves to the error state.
                complete(wrId, WRITE, ERROR, 0, 0, 0);
                fail(true);
                return;
            }
            if (length == 8 && (remoteAddress & 7) == 0) {
                peer.device.putLongVolatile((int) remoteAddress, region.buffer().getLong(offset));
            } else {
                peer.device.putBytes((int) remoteAddress, region.buffer(), offset, length);
            }
            if (withImm) {
                record.putInt(0, remoteQp);
                record.putInt(4, imm);
                record.putInt(8, length);
                if (!device.post(peer, EmulatedVerbs.WRITE_IMM, record, 12)) {
                    fail(true);
                    return;
                }
            }
            if (signaled) {
                complete(wrId, WRITE, OK, 0, 0, 0);
            }
        }
    }

    private void check() throws VerbsException {
        if (broken) {
            throw new VerbsException(device.provider() + " verbs: queue pair to '" + peer.address
                + "' is in the error state");
        }
    }

    /** A peer's send or write with immediate arrived: consume a posted receive, or wait for one. */
    void arrived(final int opcode, final DirectBuffer b, final int offset, final int length, final int imm) {
        final byte[] copy = opcode == RECV ? new byte[length] : null;
        if (copy != null) {
            b.getBytes(offset, copy);
        }
        if (recvHead == recvTail || !waiting.isEmpty()) {
            waiting.add(new Object[] {opcode, copy, length, imm});
            return;
        }
        deliver(opcode, copy, length, imm);
    }

    private void deliver(final int opcode, final byte[] bytes, final int length, final int imm) {
        final int r = recvHead++ & (RING - 1);
        final long wrId = recvWrIds[r];
        final MemoryRegion region = recvRegions[r];
        recvRegions[r] = null;
        if (opcode == RECV) {
            if (length > recvLengths[r]) {
                complete(wrId, RECV, ERROR, 0, 0, 0);
                fail(true);
                return;
            }
            region.buffer().putBytes(recvOffsets[r], bytes, 0, length);
        }
        complete(wrId, opcode, OK, length, imm, device.completionDelayNs());
    }

    private void complete(final long wrId, final int opcode, final int status, final int length, final int imm,
                          final long delayNs) {
        final long at = delayNs == 0 ? 0 : System.nanoTime() + delayNs;
        if (tail - head == RING || !overflow.isEmpty()) {
            overflow.add(new long[] {wrId, opcode, status, length, imm, at});
            return;
        }
        final int i = tail++ & (RING - 1);
        wrIds[i] = wrId;
        opcodes[i] = opcode;
        statuses[i] = status;
        lengths[i] = length;
        imms[i] = imm;
        readyAt[i] = at;
    }

    @Override
    public int poll(final CompletionHandler handler, final int max) {
        device.progress();
        int n = 0;
        synchronized (device) {
            while (n < max && head != tail) {
                final int i = head & (RING - 1);
                if (readyAt[i] != 0 && System.nanoTime() < readyAt[i]) {
                    break;
                }
                head++;
                n++;
                handler.onCompletion(wrIds[i], opcodes[i], statuses[i], lengths[i], imms[i]);
                while (!overflow.isEmpty() && tail - head < RING) {
                    final long[] o = overflow.poll();
                    final int j = tail++ & (RING - 1);
                    wrIds[j] = o[0];
                    opcodes[j] = (int) o[1];
                    statuses[j] = (int) o[2];
                    lengths[j] = (int) o[3];
                    imms[j] = (int) o[4];
                    readyAt[j] = o[5];
                }
            }
        }
        return n;
    }

    /** Moves to the error state; posted receives complete with ERROR (flushed), as on hardware. */
    void fail(final boolean tellPeer) {
        if (broken) {
            return;
        }
        broken = true;
        // Posted receives are flushed with errors; one more error completion marks the failure even if none was.
        while (recvHead != recvTail) {
            final int r = recvHead++ & (RING - 1);
            recvRegions[r] = null;
            complete(recvWrIds[r], RECV, ERROR, 0, 0, 0);
        }
        complete(0, RECV, ERROR, 0, 0, 0);
        if (tellPeer && connected) {
            record.putInt(0, remoteQp);
            device.post(peer, EmulatedVerbs.DISCONNECT, record, 4);
        }
    }

    @Override
    public boolean isBroken() {
        return broken;
    }

    @Override
    public String peerAddress() {
        return peer.address;
    }

    @Override
    public void close() {
        synchronized (device) {
            fail(true);
            device.forget(this);
        }
    }
}
