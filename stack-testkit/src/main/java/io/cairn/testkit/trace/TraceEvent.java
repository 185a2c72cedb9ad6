package io.cairn.testkit.trace;

import java.util.List;

/**
 * One line of a trace (CORRECTNESS.md §1). A single flat record keeps the writer, the parser and the checker
 * simple; each factory method fills the fields its event type uses and leaves the others at their defaults.
 *
 * @param type    event type
 * @param t       time (ns, virtual in the simulator)
 * @param p       the process the event happened at ({@code name#incarnation}); for state events the sender
 * @param src     message source (send, recv, deliver), other member (suspect), receiver (state events), or the
 *                frame's source (reject)
 * @param seq     message sequence number per source, from 1
 * @param vid     view id ({@code epoch:coordinator})
 * @param prevVid previous view id (install)
 * @param members view members (install)
 * @param primary primary flag (install)
 * @param mode    delivery mode (send, deliver)
 * @param h       payload hash (send, deliver)
 * @param idx     per-process delivery index (deliver)
 * @param gseq    total-order sequence number (deliver, TOTAL/SAFE only; 0 when absent), or the cut (state events)
 * @param name    reject reason, gauge name, fault kind, exit reason ({@link #EXIT_LEFT}, {@link #EXIT_EXCLUDED},
 *                {@link #EXIT_PRIMARY_LOST} or other text)
 * @param value   gauge value, state digest, or final application digest
 * @param args    fault arguments
 */
public record TraceEvent(Type type, long t, String p, String src, long seq, String vid, String prevVid,
                         List<String> members, boolean primary, Mode mode, long h, long idx, long gseq, String name,
                         long value, String args) {

    /** Event types. */
    public enum Type {
        /** A view installed at p. */
        INSTALL,
        /** p sent a message. */
        SEND,
        /** p received a message (not yet delivered). */
        RECV,
        /** p delivered a message. */
        DELIVER,
        /** p crashed: the only event that excuses what p did not do (CORRECTNESS.md X1). */
        CRASH,
        /** p's application asked to leave (the request; {@link #EXIT} follows when the stack is out). */
        LEAVE,
        /** p's stack is out of the group ({@code name} says why); p is live up to here. */
        EXIT,
        /** p asked to join. */
        JOIN_REQ,
        /** p suspects src. */
        SUSPECT,
        /** p was blocked by a flush. */
        BLOCK,
        /** p was unblocked. */
        UNBLOCK,
        /** p sent state to src. */
        STATE_SENT,
        /** src received state from p. */
        STATE_RECV,
        /** p rejected a frame. */
        REJECT,
        /** a gauge sample at p. */
        GAUGE,
        /** an injected fault (context only). */
        FAULT,
        /** p's application state at the end of a run (p live, in view vid): its digest in {@code value}. */
        FINAL;

        /** @return the name used in NDJSON */
        public String wire() {
            return name().toLowerCase();
        }
    }

    /** Delivery modes, weakest first. */
    public enum Mode {
        /** Reliable only. */
        RELIABLE,
        /** Per-sender order. */
        FIFO,
        /** Causal order. */
        CAUSAL,
        /** Total order. */
        TOTAL,
        /** Safe total order. */
        SAFE
    }

    /** Exit reason: a graceful leave; the member took part in the flush of its final view. */
    public static final String EXIT_LEFT = "left";
    /** Exit reason: the others excluded the member. */
    public static final String EXIT_EXCLUDED = "excluded";
    /** Exit reason: the member was cut off in a minority and lost the primary partition. */
    public static final String EXIT_PRIMARY_LOST = "primary_lost";
    /** Gauge that counts the exceptions layers threw at a process (E1). */
    public static final String HANDLER_ERRORS = "handler_errors";
    /**
     * Gauge: how long a process's application waited for its stack to take one cast when the workload gave up on it
     * (the simulator ends a run whose workload is held longer than its bound: back-pressure that never lifts, FC1).
     */
    public static final String CAST_STALLED_NS = "cast_stalled_ns";

    /** Defaults for unused fields; members are copied. */
    public TraceEvent {
        members = members == null ? List.of() : List.copyOf(members);
    }

    private static TraceEvent of(final Type type, final long t, final String p) {
        return new TraceEvent(type, t, p, null, 0, null, null, null, false, null, 0, 0, 0, null, 0, null);
    }

    /**
     * @param t       time
     * @param p       process
     * @param vid     view id
     * @param members members
     * @param primary primary flag
     * @param prevVid previous view id or null
     * @return the event
     */
    public static TraceEvent install(final long t, final String p, final String vid, final List<String> members,
                                     final boolean primary, final String prevVid) {
        return new TraceEvent(Type.INSTALL, t, p, null, 0, vid, prevVid, members, primary, null, 0, 0, 0, null, 0,
            null);
    }

    /**
     * @param t    time
     * @param p    sender
     * @param seq  sequence number
     * @param vid  sending view
     * @param mode mode
     * @param h    payload hash
     * @return the event
     */
    public static TraceEvent send(final long t, final String p, final long seq, final String vid, final Mode mode,
                                  final long h) {
        return new TraceEvent(Type.SEND, t, p, p, seq, vid, null, null, false, mode, h, 0, 0, null, 0, null);
    }

    /**
     * @param t   time
     * @param p   receiver
     * @param src source
     * @param seq sequence number
     * @return the event
     */
    public static TraceEvent recv(final long t, final String p, final String src, final long seq) {
        return new TraceEvent(Type.RECV, t, p, src, seq, null, null, null, false, null, 0, 0, 0, null, 0, null);
    }

    /**
     * @param t    time
     * @param p    process delivering
     * @param src  source
     * @param seq  sequence number
     * @param vid  view delivered in
     * @param mode mode
     * @param h    payload hash as delivered
     * @param idx  per-process delivery index
     * @param gseq total-order number or 0
     * @return the event
     */
    public static TraceEvent deliver(final long t, final String p, final String src, final long seq,
                                     final String vid, final Mode mode, final long h, final long idx,
                                     final long gseq) {
        return new TraceEvent(Type.DELIVER, t, p, src, seq, vid, null, null, false, mode, h, idx, gseq, null, 0,
            null);
    }

    /**
     * @param t      time
     * @param p      process
     * @param reason {@link #EXIT_LEFT}, {@link #EXIT_EXCLUDED}, {@link #EXIT_PRIMARY_LOST} or other text
     * @return the event
     */
    public static TraceEvent exit(final long t, final String p, final String reason) {
        return new TraceEvent(Type.EXIT, t, p, null, 0, null, null, null, false, null, 0, 0, 0, reason, 0, null);
    }

    /**
     * Maps the stack's {@code Exited} reason text to the trace's exit reason: a graceful leave ("left the group",
     * or "left" in a static group), an exclusion ("excluded from the group"), a lost primary partition ("lost the
     * primary partition (…)"); any other text is kept as it is.
     *
     * @param stackReason the {@code Exited.reason()} text
     * @return the exit reason
     */
    public static String exitReasonOf(final String stackReason) {
        if (stackReason == null) {
            return "unknown";
        }
        if (stackReason.startsWith("left")) {
            return EXIT_LEFT;
        }
        if (stackReason.startsWith("excluded")) {
            return EXIT_EXCLUDED;
        }
        if (stackReason.startsWith("lost the primary partition")) {
            return EXIT_PRIMARY_LOST;
        }
        return stackReason;
    }

    /**
     * @param t      time
     * @param p      a live process at the end of a run
     * @param vid    its view
     * @param digest its application state's digest
     * @return the event
     */
    public static TraceEvent finalState(final long t, final String p, final String vid, final long digest) {
        return new TraceEvent(Type.FINAL, t, p, null, 0, vid, null, null, false, null, 0, 0, 0, null, digest, null);
    }

    /**
     * @param type CRASH, LEAVE, JOIN_REQ, BLOCK or UNBLOCK
     * @param t    time
     * @param p    process
     * @return the event
     */
    public static TraceEvent simple(final Type type, final long t, final String p) {
        return of(type, t, p);
    }

    /**
     * @param t time
     * @param p suspecting process
     * @param q suspected process
     * @return the event
     */
    public static TraceEvent suspect(final long t, final String p, final String q) {
        return new TraceEvent(Type.SUSPECT, t, p, q, 0, null, null, null, false, null, 0, 0, 0, null, 0, null);
    }

    /**
     * @param received true for state_recv
     * @param t        time
     * @param from     provider
     * @param to       joiner
     * @param vid      view
     * @param cut      last gseq covered
     * @param digest   application digest
     * @return the event
     */
    public static TraceEvent state(final boolean received, final long t, final String from, final String to,
                                   final String vid, final long cut, final long digest) {
        return new TraceEvent(received ? Type.STATE_RECV : Type.STATE_SENT, t, from, to, 0, vid, null, null, false,
            null, 0, 0, cut, null, digest, null);
    }

    /**
     * @param t      time
     * @param p      process
     * @param reason decode, oversize, auth, nonmember, stale_view, replay
     * @param src    claimed source or null
     * @return the event
     */
    public static TraceEvent reject(final long t, final String p, final String reason, final String src) {
        return new TraceEvent(Type.REJECT, t, p, src, 0, null, null, null, false, null, 0, 0, 0, reason, 0, null);
    }

    /**
     * @param t     time
     * @param p     process
     * @param name  gauge name
     * @param value value
     * @return the event
     */
    public static TraceEvent gauge(final long t, final String p, final String name, final long value) {
        return new TraceEvent(Type.GAUGE, t, p, null, 0, null, null, null, false, null, 0, 0, 0, name, value, null);
    }

    /**
     * @param t    time
     * @param kind partition, heal, loss, dup, reorder, delay, pause, resume, clock, crash
     * @param args description
     * @return the event
     */
    public static TraceEvent fault(final long t, final String kind, final String args) {
        return new TraceEvent(Type.FAULT, t, null, null, 0, null, null, null, false, null, 0, 0, 0, kind, 0, args);
    }

    /** @return the message id {@code src/seq} (send, recv, deliver) */
    public String msg() {
        return src + "/" + seq;
    }

    /**
     * @param vid view id text {@code epoch:coord}
     * @return its epoch
     */
    public static long epochOf(final String vid) {
        return Long.parseLong(vid.substring(0, vid.indexOf(':')));
    }

    @Override
    public String toString() {
        return TraceJson.write(this);
    }
}
