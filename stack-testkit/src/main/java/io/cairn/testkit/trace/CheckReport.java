package io.cairn.testkit.trace;

import java.util.List;
import java.util.Set;

/**
 * What the checker found.
 *
 * @param checked    the properties checked
 * @param violations every violation found, first one first
 * @param events     number of events read
 */
public record CheckReport(Set<String> checked, List<Violation> violations, int events) {
    /** Copies the collections. */
    public CheckReport {
        checked = Set.copyOf(checked);
        violations = List.copyOf(violations);
    }

    /** @return whether every checked property holds */
    public boolean ok() {
        return violations.isEmpty();
    }

    /** @return the properties with at least one violation */
    public Set<String> violated() {
        final java.util.TreeSet<String> out = new java.util.TreeSet<>();
        violations.forEach(v -> out.add(v.property()));
        return out;
    }

    /** @return one line: checked properties, events and violations */
    public String summary() {
        return "checked " + new java.util.TreeSet<>(checked) + " on " + events + " events: "
            + (ok() ? "no violation" : violations.size() + " violation(s) of " + violated() + "; first: "
            + violations.get(0));
    }
}
