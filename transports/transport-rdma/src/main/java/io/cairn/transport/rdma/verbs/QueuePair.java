package io.cairn.transport.rdma.verbs;

/** One reliable-connected queue pair with its own completion queue. Used by one thread at a time. */
public interface QueuePair extends AutoCloseable {
    /** Completion opcodes. */
    int SEND = 1;
    /** A one-sided write finished at the sender. */
    int WRITE = 2;
    /** A two-sided receive took a peer's send; {@code byteLength} says how much arrived. */
    int RECV = 3;
    /** A peer's write with immediate landed here; {@code imm} carries its value. */
    int RECV_IMM = 4;

    /** Completion statuses. */
    int OK = 0;
    /** The queue pair failed: the peer died, a remote access was refused, or the connection was closed. */
    int ERROR = 1;

    /**
     * Posts a receive buffer (a write with immediate consumes one too, without using its buffer).
     *
     * @param wrId   work request id, returned in the completion
     * @param region registered region
     * @param offset offset in it
     * @param length capacity
     * @throws VerbsException when the queue pair is in the error state
     */
    void postRecv(long wrId, MemoryRegion region, int offset, int length) throws VerbsException;

    /**
     * Posts a two-sided send: the bytes land in the peer's next posted receive.
     *
     * @param wrId   work request id
     * @param region registered region holding the bytes
     * @param offset offset in it
     * @param length bytes
     * @throws VerbsException when the queue pair is in the error state
     */
    void postSend(long wrId, MemoryRegion region, int offset, int length) throws VerbsException;

    /**
     * Posts a one-sided write into the peer's registered memory.
     *
     * @param wrId          work request id
     * @param region        local source region
     * @param offset        offset in it
     * @param length        bytes
     * @param remoteAddress destination address in the peer's region
     * @param rkey          the peer region's remote key
     * @param withImm       also complete at the peer with {@code imm} (consumes a posted receive there)
     * @param imm           the immediate value
     * @param signaled      whether the sender gets a completion
     * @throws VerbsException when the queue pair is in the error state
     */
    void postWrite(long wrId, MemoryRegion region, int offset, int length, long remoteAddress, int rkey,
                   boolean withImm, int imm, boolean signaled) throws VerbsException;

    /**
     * Takes up to {@code max} completions.
     *
     * @param handler called once per completion
     * @param max     bound
     * @return completions taken
     */
    int poll(CompletionHandler handler, int max);

    /** @return whether the queue pair moved to the error state */
    boolean isBroken();

    /** @return the peer device's address, when known (for logs) */
    String peerAddress();

    /** Disconnects; the peer's queue pair moves to the error state. */
    @Override
    void close();
}
