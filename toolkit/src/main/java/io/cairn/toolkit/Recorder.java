package io.cairn.toolkit;

/**
 * Where a block reports what it did (requests, replies, applied commands, grants, leaders, decisions), so that a
 * checker can judge a run: the testkit's simulator records these next to its trace. Called on the stack's thread
 * or the application's; an implementation shared by several members must be thread-safe.
 */
@FunctionalInterface
public interface Recorder {
    /** Records nothing. */
    Recorder NONE = op -> {
    };

    /**
     * One operation.
     *
     * @param block  the block's kind ({@code map}, {@code lock}, ...)
     * @param member the member that reports it (name#incarnation)
     * @param op     what happened ({@code apply}, {@code grant}, {@code reply}, ...)
     * @param name   the object it concerns (key, lock name, request id), or ""
     * @param value  a value, or ""
     * @param index  a position (total-order index, request number, epoch), or -1
     * @param view   the member's view when it happened, or ""
     */
    record Op(String block, String member, String op, String name, String value, long index, String view) {
        @Override
        public String toString() {
            return member + " " + block + "." + op + "(" + name + (value.isEmpty() ? "" : ", " + value)
                + (index < 0 ? "" : ", @" + index) + ")" + (view.isEmpty() ? "" : " in " + view);
        }
    }

    /**
     * @param op the operation
     */
    void record(Op op);
}
