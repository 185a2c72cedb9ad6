package io.cairn.transport.rdma.verbs;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Registered memory: what the local side reads and writes, and what a peer needs to write into it.
 *
 * @param buffer  local view of the memory
 * @param address address peers write to (a virtual address on hardware, an offset in the emulations)
 * @param rkey    remote key peers present
 * @param lkey    local key (hardware) or region index (emulations)
 */
public record MemoryRegion(UnsafeBuffer buffer, long address, int rkey, int lkey) {
    /** @return length in bytes */
    public int length() {
        return buffer.capacity();
    }
}
