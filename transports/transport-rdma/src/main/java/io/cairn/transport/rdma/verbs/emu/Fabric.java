package io.cairn.transport.rdma.verbs.emu;

import io.cairn.transport.rdma.verbs.VerbsException;
import org.agrona.concurrent.UnsafeBuffer;

/** Where emulated devices live: the JVM's heap ({@code soft}) or memory-mapped files ({@code shm}). */
interface Fabric {
    /**
     * @param address the device's address
     * @param bytes   its size
     * @return zeroed device memory, owned by this process until {@link #destroy}
     * @throws VerbsException when the address is taken by a live device
     */
    UnsafeBuffer create(String address, int bytes) throws VerbsException;

    /**
     * @param address a peer's address
     * @return the peer device's memory
     * @throws VerbsException when no device has that address
     */
    UnsafeBuffer open(String address) throws VerbsException;

    /**
     * @param address a peer's address
     * @return false once the process owning it is gone (the device's own state word covers an orderly close)
     */
    boolean ownerAlive(String address);

    /** @param address this process's device, closed */
    void destroy(String address);

    /**
     * @param address a peer's address no longer used
     */
    void forget(String address);
}
