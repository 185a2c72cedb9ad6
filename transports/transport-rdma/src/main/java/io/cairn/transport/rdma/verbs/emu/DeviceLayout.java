package io.cairn.transport.rdma.verbs.emu;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of an emulated device's memory, shared with peers (little-endian, native order).
 *
 * <pre>
 *  0    magic (int)      4  state (int: 1 open, 2 closed)     8  device id (long, random per device)
 *  16   event ring capacity (int)   20  region count (int, published after the entry)
 *  64   region table: MAX_REGIONS x [offset (int), length (int), rkey (int), unused]
 *  RING event ring (Agrona many-to-one ring buffer): peers post CONNECT, ACCEPT, SEND, WRITE_IMM, DISCONNECT
 *  then the arena registered regions are carved from
 * </pre>
 */
final class DeviceLayout {
    static final int MAGIC_VALUE = 0x4D445243;
    static final int MAGIC = 0;
    static final int STATE = 4;
    static final int DEVICE_ID = 8;
    static final int RING_CAPACITY = 16;
    static final int REGION_COUNT = 20;
    static final int OPEN = 1;
    static final int CLOSED = 2;
    static final int MAX_REGIONS = 512;
    static final int REGION_TABLE = 64;
    static final int RING = REGION_TABLE + MAX_REGIONS * 16;
    static final int MIN_LENGTH = RING;

    private DeviceLayout() {
    }

    static int arenaOffset(final int ringCapacity) {
        final int end = RING + ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
        return (end + 4095) & ~4095;
    }
}
