package io.cairn.testkit.sim;

import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.Trace;
import io.cairn.testkit.trace.Violation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One group of a simulation: a member on every host, the group's own trace (the checker judges each group on
 * its own), and every incarnation it has had. A run of several groups gives each host one process with a stack per
 * group, as a {@code Node} that joined them all: the stacks share the host's clock and its peer-liveness table,
 * and a crash, pause or partition hits all of them at once.
 */
final class SimGroup {
    final int index;
    final String name;
    final int groupId;
    final Trace trace = new Trace();
    /** The current incarnation on each host. */
    final List<SimMember> members = new ArrayList<>();
    /** Every process ever created, old incarnations included (E1 is recorded for each at the end). */
    final List<SimMember> everyMember = new ArrayList<>();
    final Map<Long, String> names = new HashMap<>();
    final Map<String, Long> sentHashes = new HashMap<>();

    SimGroup(final int index) {
        this.index = index;
        // The first group keeps the name a run of one group always had, so its seeds replay as before.
        this.name = index == 0 ? "sim" : "sim-" + index;
        this.groupId = FrameHeader.groupIdOf(name);
    }

    /**
     * @param reports each group's report, in group order
     * @return one report: every group's violations, those of a group but the first named by it
     */
    static CheckReport merge(final List<CheckReport> reports) {
        if (reports.size() == 1) {
            return reports.get(0);
        }
        final java.util.Set<String> checked = new java.util.HashSet<>();
        final List<Violation> violations = new ArrayList<>();
        int events = 0;
        for (int g = 0; g < reports.size(); g++) {
            final CheckReport r = reports.get(g);
            checked.addAll(r.checked());
            events += r.events();
            for (final Violation v : r.violations()) {
                violations.add(g == 0 ? v : new Violation(v.property(), "group " + g + ": " + v.message(),
                    v.events()));
            }
        }
        return new CheckReport(checked, violations, events);
    }
}
