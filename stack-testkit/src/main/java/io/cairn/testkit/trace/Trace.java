package io.cairn.testkit.trace;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** An in-memory trace: events in the global order the scheduler gave them. */
public final class Trace {
    private final List<TraceEvent> events = new ArrayList<>();
    private Writer stream;

    /**
     * @param e event to append
     */
    public synchronized void add(final TraceEvent e) {
        events.add(e);
        if (stream != null) {
            try {
                stream.write(TraceJson.write(e));
                stream.write('\n');
                stream.flush();
            } catch (final IOException ex) {
                throw new java.io.UncheckedIOException("trace stream: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Also writes every event, as it is added, to {@code file} (NDJSON, flushed per event): the trace of a process
     * that may be killed survives it.
     *
     * @param file where to stream
     * @return this
     * @throws IOException when the file cannot be opened
     */
    public synchronized Trace streamTo(final Path file) throws IOException {
        stream = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        for (final TraceEvent e : events) {
            stream.write(TraceJson.write(e));
            stream.write('\n');
        }
        stream.flush();
        return this;
    }

    /** @return a copy of the events */
    public synchronized List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** @return number of events */
    public synchronized int size() {
        return events.size();
    }

    /** @return SHA-256 of the NDJSON form, hex: equal traces have equal hashes */
    public synchronized String hash() {
        try {
            final MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (final TraceEvent e : events) {
                md.update(TraceJson.write(e).getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param file where to write NDJSON
     * @throws IOException on write failure
     */
    public synchronized void write(final Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (final TraceEvent e : events) {
                w.write(TraceJson.write(e));
                w.write('\n');
            }
        }
    }

    /**
     * @param file NDJSON file
     * @return the trace
     * @throws IOException on read failure
     */
    public static Trace read(final Path file) throws IOException {
        final Trace t = new Trace();
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                t.add(TraceJson.parse(lines.get(i)));
            } catch (final RuntimeException e) {
                if (i < lines.size() - 1) {
                    throw e;
                }
                // The last line of a process killed while writing it.
            }
        }
        return t;
    }

    /**
     * Merges traces recorded by separate processes into one, ordered by time (stable for ties).
     *
     * @param traces traces
     * @return merged trace
     */
    public static Trace merge(final List<Trace> traces) {
        final List<TraceEvent> all = new ArrayList<>();
        traces.forEach(t -> all.addAll(t.events()));
        all.sort(java.util.Comparator.comparingLong(TraceEvent::t));
        final Trace out = new Trace();
        all.forEach(out::add);
        return out;
    }
}
