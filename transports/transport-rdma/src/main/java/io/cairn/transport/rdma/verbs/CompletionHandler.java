package io.cairn.transport.rdma.verbs;

/** Receives completions from {@link QueuePair#poll}. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * @param wrId       the work request's id (for receives: the id of the receive that was consumed)
     * @param opcode     {@link QueuePair#SEND}, {@link QueuePair#WRITE}, {@link QueuePair#RECV} or
     *                   {@link QueuePair#RECV_IMM}
     * @param status     {@link QueuePair#OK} or {@link QueuePair#ERROR}
     * @param byteLength bytes received (RECV, RECV_IMM) or 0
     * @param imm        immediate value (RECV_IMM) or 0
     */
    void onCompletion(long wrId, int opcode, int status, int byteLength, int imm);
}
