package io.cairn.api;

import io.cairn.stack.runtime.ThreadingMode;
import io.cairn.stack.spi.ReceivePoller;
import io.cairn.stack.spi.Transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Which transports' receive side the threads that run a node's stacks read themselves ({@link Transport#receiveOn}).
 * DEDICATED: each group's thread claims its transport, which falls back to its own threads when a second group's
 * thread asks for the same one. SHARED: the node's one thread claims the transport of the first group and so reads
 * for every group on it. INVOKER: none, as the caller's thread may not come back for a while. Guarded by the node.
 */
final class ReceiveClaims {
    private final ThreadingMode threading;
    private final Map<Group, Transport> transports = new HashMap<>();
    private final Map<Group, ReceivePoller> pollers = new HashMap<>();
    private boolean sharedAsked;
    private ReceivePoller shared;

    ReceiveClaims(final ThreadingMode threading) {
        this.threading = threading;
    }

    /** Before {@code g}'s stack binds {@code t}. */
    void claim(final Group g, final Transport t) {
        if (threading == ThreadingMode.DEDICATED) {
            final ReceivePoller p = t.receiveOn(g);
            if (p != null) {
                transports.put(g, t);
                pollers.put(g, p);
            }
        } else if (threading == ThreadingMode.SHARED && !sharedAsked) {
            sharedAsked = true;
            shared = t.receiveOn(this);
        }
    }

    /** @return what {@code g}'s own thread polls (DEDICATED), or null */
    ReceivePoller poller(final Group g) {
        return pollers.get(g);
    }

    /** @return what the shared thread polls (SHARED), or null */
    ReceivePoller shared() {
        return shared;
    }

    /** {@code g}'s stack stopped (DEDICATED): its thread polls no more. */
    void release(final Group g) {
        pollers.remove(g);
        final Transport t = transports.remove(g);
        if (t != null) {
            t.releaseReceive(g);
        }
    }
}
