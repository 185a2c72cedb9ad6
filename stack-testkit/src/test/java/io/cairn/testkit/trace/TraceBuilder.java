package io.cairn.testkit.trace;

import io.cairn.testkit.trace.TraceEvent.Mode;
import io.cairn.testkit.trace.TraceEvent.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-writes traces for the checker's tests. Payload hashes derive from the message id. */
final class TraceBuilder {
    final List<TraceEvent> events = new ArrayList<>();
    private final Map<String, Long> idx = new HashMap<>();
    private long t;

    static long hash(final String src, final long seq) {
        return (src + "/" + seq).hashCode();
    }

    TraceBuilder install(final String vid, final boolean primary, final String... members) {
        for (final String p : members) {
            install(p, vid, primary, members);
        }
        return this;
    }

    TraceBuilder install(final String p, final String vid, final boolean primary, final String... members) {
        events.add(TraceEvent.install(++t, p, vid, List.of(members), primary, null));
        return this;
    }

    TraceBuilder send(final String p, final long seq, final String vid, final Mode mode) {
        events.add(TraceEvent.send(++t, p, seq, vid, mode, hash(p, seq)));
        return this;
    }

    TraceBuilder deliver(final String p, final String src, final long seq, final String vid, final Mode mode,
                         final long gseq) {
        final long i = idx.merge(p, 1L, Long::sum);
        events.add(TraceEvent.deliver(++t, p, src, seq, vid, mode, hash(src, seq), i, gseq));
        return this;
    }

    TraceBuilder deliverAll(final String src, final long seq, final String vid, final Mode mode, final long gseq,
                            final String... at) {
        for (final String p : at) {
            deliver(p, src, seq, vid, mode, gseq);
        }
        return this;
    }

    TraceBuilder event(final TraceEvent e) {
        events.add(e);
        return this;
    }

    TraceBuilder simple(final Type type, final String p) {
        events.add(TraceEvent.simple(type, ++t, p));
        return this;
    }

    TraceBuilder exit(final String p, final String reason) {
        events.add(TraceEvent.exit(++t, p, reason));
        return this;
    }

    TraceBuilder finalState(final String p, final String vid, final long digest) {
        events.add(TraceEvent.finalState(++t, p, vid, digest));
        return this;
    }

    TraceBuilder gauge(final String p, final String name, final long value) {
        events.add(TraceEvent.gauge(++t, p, name, value));
        return this;
    }

    long now() {
        return ++t;
    }
}
