package io.cairn.transport.rdma.verbs.emu;

import io.cairn.transport.rdma.verbs.MemoryRegion;
import io.cairn.transport.rdma.verbs.QueuePair;
import io.cairn.transport.rdma.verbs.Verbs;
import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Verbs emulated over memory a peer can write directly: {@code soft} (devices in this JVM) and {@code shm}
 * (memory-mapped files shared by processes on one host). A one-sided write copies into the peer's registered
 * region after checking its bounds and key, then (with immediate) posts a record on the peer's event ring; the
 * peer turns records into completions when it polls. Writes on a queue pair therefore land in order and a
 * completion never precedes its data. Test hooks: a completion delay, and {@link #breakQueuePairsTo}.
 */
public final class EmulatedVerbs implements Verbs {
    static final int CONNECT = 1;
    static final int ACCEPT = 2;
    static final int SEND = 3;
    static final int WRITE_IMM = 4;
    static final int DISCONNECT = 5;
    private static final long LIVENESS_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RING_FULL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    private final String provider;
    private final Fabric fabric;
    private final String address;
    private final UnsafeBuffer device;
    private final ManyToOneRingBuffer events;
    private final long deviceId = ThreadLocalRandom.current().nextLong() | 1;
    private final int arenaEnd;
    private int arenaNext;
    private int regionCount;
    private final Map<Integer, ArrayDeque<MemoryRegion>> freeRegions = new HashMap<>();
    private final Map<String, Peer> peers = new HashMap<>();
    private final Int2ObjectHashMap<EmuQueuePair> qps = new Int2ObjectHashMap<>();
    private final ArrayDeque<EmuQueuePair> accepted = new ArrayDeque<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private int nextQp = 1;
    private long nextLivenessCheck;
    private volatile long completionDelayNs;
    private boolean closed;

    /** A peer device as mapped here. */
    static final class Peer {
        final String address;
        final UnsafeBuffer device;
        final long deviceId;
        final ManyToOneRingBuffer events;

        Peer(final String address, final UnsafeBuffer device) {
            this.address = address;
            this.device = device;
            this.deviceId = device.getLongVolatile(DeviceLayout.DEVICE_ID);
            final int cap = device.getInt(DeviceLayout.RING_CAPACITY);
            this.events = new ManyToOneRingBuffer(new UnsafeBuffer(device, DeviceLayout.RING,
                cap + RingBufferDescriptor.TRAILER_LENGTH));
        }

        boolean open() {
            return device.getIntVolatile(DeviceLayout.STATE) == DeviceLayout.OPEN
                && device.getLongVolatile(DeviceLayout.DEVICE_ID) == deviceId;
        }
    }

    /**
     * @param provider       soft or shm
     * @param shmDirectory   where shm devices live (ignored by soft)
     * @param address        this device's address
     * @param ringCapacity   event ring bytes (power of two)
     * @param arenaBytes     registered memory available
     * @param completionDelayNs delay before inbound completions become visible (tests)
     * @throws VerbsException when the device cannot be created
     */
    public EmulatedVerbs(final String provider, final Path shmDirectory, final String address, final int ringCapacity,
                         final int arenaBytes, final long completionDelayNs) throws VerbsException {
        this.provider = provider;
        this.fabric = "shm".equals(provider) ? new ShmFabric(shmDirectory) : SoftFabric.INSTANCE;
        this.address = address;
        this.completionDelayNs = completionDelayNs;
        final int arena = DeviceLayout.arenaOffset(ringCapacity);
        this.device = fabric.create(address, arena + arenaBytes);
        this.arenaNext = arena;
        this.arenaEnd = arena + arenaBytes;
        this.events = new ManyToOneRingBuffer(new UnsafeBuffer(device, DeviceLayout.RING,
            ringCapacity + RingBufferDescriptor.TRAILER_LENGTH));
        device.putLong(DeviceLayout.DEVICE_ID, deviceId);
        device.putInt(DeviceLayout.RING_CAPACITY, ringCapacity);
        device.putInt(DeviceLayout.MAGIC, DeviceLayout.MAGIC_VALUE);
        device.putIntVolatile(DeviceLayout.STATE, DeviceLayout.OPEN);
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String address() {
        return address;
    }

    /** @param ns delay before inbound completions are visible to {@link QueuePair#poll} (test hook) */
    public void completionDelay(final long ns) {
        completionDelayNs = ns;
    }

    long completionDelayNs() {
        return completionDelayNs;
    }

    /**
     * Test hook: every queue pair to a peer moves to the error state, as when its link fails.
     *
     * @param peerAddress the peer
     */
    public synchronized void breakQueuePairsTo(final String peerAddress) {
        for (final EmuQueuePair qp : new ArrayList<>(qps.values())) {
            if (qp.peer != null && qp.peer.address.equals(peerAddress)) {
                qp.fail(true);
            }
        }
    }

    @Override
    public synchronized MemoryRegion register(final int length) throws VerbsException {
        final ArrayDeque<MemoryRegion> free = freeRegions.get(length);
        if (free != null && !free.isEmpty()) {
            final MemoryRegion r = free.poll();
            r.buffer().setMemory(0, length, (byte) 0);
            return r;
        }
        final int aligned = (length + 63) & ~63;
        if (regionCount == DeviceLayout.MAX_REGIONS || arenaNext + aligned > arenaEnd || arenaNext + aligned < 0) {
            throw new VerbsException(provider + " verbs: out of registered memory on '" + address + "' ("
                + (arenaEnd - arenaNext) + " bytes and " + (DeviceLayout.MAX_REGIONS - regionCount)
                + " regions left); raise cairn.transport.rdma.emulation.arena");
        }
        final int offset = arenaNext;
        arenaNext += aligned;
        final int index = regionCount;
        final int rkey = (index + 1) | (int) (deviceId << 16) & 0x7FFF0000;
        final int entry = DeviceLayout.REGION_TABLE + index * 16;
        device.putInt(entry, offset);
        device.putInt(entry + 4, length);
        device.putInt(entry + 8, rkey);
        device.putIntVolatile(DeviceLayout.REGION_COUNT, ++regionCount);
        return new MemoryRegion(new UnsafeBuffer(device, offset, length), offset, rkey, index);
    }

    @Override
    public synchronized void release(final MemoryRegion region) {
        freeRegions.computeIfAbsent(region.length(), k -> new ArrayDeque<>()).add(region);
    }

    @Override
    public QueuePair connect(final String peerAddress, final long timeoutMs) throws VerbsException {
        final EmuQueuePair qp;
        synchronized (this) {
            final Peer p = peer(peerAddress);
            qp = new EmuQueuePair(this, nextQp++, p);
            qps.put(qp.number, qp);
            final byte[] a = address.getBytes(StandardCharsets.UTF_8);
            scratch.putLong(0, deviceId);
            scratch.putInt(8, qp.number);
            scratch.putBytes(12, a);
            post(p, CONNECT, scratch, 12 + a.length);
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            synchronized (this) {
                progress();
                if (qp.connected || qp.broken) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                synchronized (this) {
                    qps.remove(qp.number);
                }
                throw new VerbsException(provider + " verbs: '" + peerAddress + "' did not accept within "
                    + timeoutMs + " ms");
            }
            LockSupport.parkNanos(20_000);
        }
        if (qp.broken) {
            throw new VerbsException(provider + " verbs: connection to '" + peerAddress + "' failed");
        }
        return qp;
    }

    @Override
    public synchronized QueuePair accept() {
        progress();
        return accepted.poll();
    }

    private Peer peer(final String peerAddress) throws VerbsException {
        Peer p = peers.get(peerAddress);
        if (p == null || !p.open()) {
            final UnsafeBuffer d = fabric.open(peerAddress);
            if (!fabric.ownerAlive(peerAddress)) {
                throw new VerbsException(provider + " verbs: the process owning '" + peerAddress + "' is gone");
            }
            if (d.getIntVolatile(DeviceLayout.MAGIC) != DeviceLayout.MAGIC_VALUE
                || d.getIntVolatile(DeviceLayout.STATE) != DeviceLayout.OPEN) {
                throw new VerbsException(provider + " verbs: no open device at '" + peerAddress + "'");
            }
            p = new Peer(peerAddress, d);
            peers.put(peerAddress, p);
        }
        return p;
    }

    /** Posts a record on a peer's event ring, waiting a bounded time while the ring is full. */
    boolean post(final Peer p, final int type, final DirectBuffer body, final int length) {
        long deadline = 0;
        while (!p.events.write(type, body, 0, length)) {
            if (!p.open()) {
                return false;
            }
            final long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + RING_FULL_TIMEOUT_NS;
            } else if (now > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** Validates a remote write against the peer's region table. */
    static boolean inRegion(final Peer p, final long remoteAddress, final int length, final int rkey) {
        final int index = (rkey & 0xFFFF) - 1;
        if (index < 0 || index >= p.device.getIntVolatile(DeviceLayout.REGION_COUNT)) {
            return false;
        }
        final int entry = DeviceLayout.REGION_TABLE + index * 16;
        final long offset = p.device.getInt(entry);
        final long len = p.device.getInt(entry + 4);
        return p.device.getInt(entry + 8) == rkey && remoteAddress >= offset && length >= 0
            && remoteAddress + length <= offset + len;
    }

    /** Turns this device's event records into connections and completions; checks peers' liveness. */
    synchronized void progress() {
        if (closed) {
            return;
        }
        events.read(this::onRecord, 1024);
        final long now = System.nanoTime();
        if (now >= nextLivenessCheck) {
            nextLivenessCheck = now + LIVENESS_CHECK_NS;
            for (final EmuQueuePair qp : new ArrayList<>(qps.values())) {
                if (!qp.broken && qp.peer != null && (!qp.peer.open() || !fabric.ownerAlive(qp.peer.address))) {
                    qp.fail(false);
                }
            }
        }
    }

    private void onRecord(final int type, final MutableDirectBuffer b, final int index, final int length) {
        if (type == CONNECT) {
            final long peerId = b.getLong(index);
            final int peerQp = b.getInt(index + 8);
            final String peerAddress = b.getStringWithoutLengthUtf8(index + 12, length - 12);
            try {
                final Peer p = peer(peerAddress);
                if (p.deviceId != peerId) {
                    return;
                }
                final EmuQueuePair qp = new EmuQueuePair(this, nextQp++, p);
                qp.remoteQp = peerQp;
                qp.connected = true;
                qps.put(qp.number, qp);
                scratch.putInt(0, peerQp);
                scratch.putInt(4, qp.number);
                if (post(p, ACCEPT, scratch, 8)) {
                    accepted.add(qp);
                }
            } catch (final VerbsException e) {
                // the connecting device vanished meanwhile: its connect times out
            }
            return;
        }
        final EmuQueuePair qp = qps.get(b.getInt(index));
        if (qp == null || qp.broken) {
            return;
        }
        switch (type) {
            case ACCEPT -> {
                qp.remoteQp = b.getInt(index + 4);
                qp.connected = true;
            }
            case SEND -> qp.arrived(QueuePair.RECV, b, index + 4, length - 4, 0);
            case WRITE_IMM -> qp.arrived(QueuePair.RECV_IMM, b, index, b.getInt(index + 8), b.getInt(index + 4));
            case DISCONNECT -> qp.fail(false);
            default -> {
                // unknown record: ignore
            }
        }
    }

    synchronized void forget(final EmuQueuePair qp) {
        qps.remove(qp.number);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (final EmuQueuePair qp : new ArrayList<>(qps.values())) {
            qp.close();
        }
        device.putIntVolatile(DeviceLayout.STATE, DeviceLayout.CLOSED);
        closed = true;
        for (final Peer p : peers.values()) {
            fabric.forget(p.address);
        }
        fabric.destroy(address);
    }

    /** @return queue pairs open on this device (for tests and stats) */
    public synchronized List<Integer> queuePairs() {
        return new ArrayList<>(qps.keySet());
    }
}
