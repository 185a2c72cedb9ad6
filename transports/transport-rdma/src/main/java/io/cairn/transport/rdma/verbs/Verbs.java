package io.cairn.transport.rdma.verbs;

/**
 * The few verbs the RDMA transport uses, behind one port so the same transport code runs over real hardware
 * ({@code disni}), an in-JVM emulation ({@code soft}) and a shared-memory emulation between processes
 * ({@code shm}). Semantics follow reliable-connected queue pairs: writes on one queue pair land in order, a write
 * with immediate consumes a posted receive at the peer and completes there after its data is in place, and a
 * failed peer or a bad remote access moves the queue pair to the error state.
 */
public interface Verbs extends AutoCloseable {
    /** @return the provider's name: disni, soft or shm */
    String provider();

    /** @return this device's address, as peers pass it to {@link #connect} */
    String address();

    /**
     * Allocates and registers memory for local access and remote writes.
     *
     * @param length bytes
     * @return the region
     * @throws VerbsException when registration fails (out of registered memory)
     */
    MemoryRegion register(int length) throws VerbsException;

    /**
     * Returns a region for reuse by a later {@link #register} of the same length (deregistering it on hardware).
     *
     * @param region a region of this device
     */
    void release(MemoryRegion region);

    /**
     * Connects a reliable-connected queue pair to the device listening at an address; blocks at most the timeout.
     *
     * @param address   the peer's address
     * @param timeoutMs bound on the wait
     * @return the connected queue pair
     * @throws VerbsException when nobody listens there or the peer does not answer in time
     */
    QueuePair connect(String address, long timeoutMs) throws VerbsException;

    /** @return a queue pair a peer connected to this device since the last call, or null (never blocks) */
    QueuePair accept();

    /** Closes every queue pair and the device. */
    @Override
    void close();
}
