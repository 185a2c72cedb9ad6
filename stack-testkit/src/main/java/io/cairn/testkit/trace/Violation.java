package io.cairn.testkit.trace;

import java.util.List;

/**
 * A property that does not hold on a trace.
 *
 * @param property the property id from CORRECTNESS.md (I1, F1, T2, …)
 * @param message  what is wrong, for people
 * @param events   the events involved
 */
public record Violation(String property, String message, List<TraceEvent> events) {
    /** Copies the events. */
    public Violation {
        events = List.copyOf(events);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder(property).append(": ").append(message);
        for (final TraceEvent e : events) {
            sb.append("\n    ").append(TraceJson.write(e));
        }
        return sb.toString();
    }
}
