package io.cairn.layers;

import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared set-up of the membership rows ({@link VirtualSynchronyProperties}, {@link MembershipFaultProperties}). */
final class MembershipRows {
    /** Group sizes cycled through by seed. */
    static final int[] SIZES = {3, 5, 7};
    /** Faults start 1 s into the run: members found the group at 0.3 s; a crash is suspected ~1.25 s later. */
    static final long T = 1_000_000_000L;

    private MembershipRows() {
    }

    static int size(final long seed) {
        return SIZES[(int) (seed % 3)];
    }

    /** {@code vsync-test}, 2,000 casts of up to 3,000 B every 2 ms (traffic spans the view changes). */
    static Simulator.Options base(final long seed) {
        return Simulator.options().stack("vsync-test").members(size(seed)).seed(seed).messages(2000)
            .sendInterval(2_000_000L).payload(8, 3000).settle(6_000_000_000L);
    }

    /** Runs and requires zero violations of everything the stack promises, membership included. */
    static SimulationResult check(final Simulator.Options o) {
        final SimulationResult r = o.run();
        r.assertNoViolations();
        assertThat(r.report().checked()).contains("M4", "M5", "V1", "V2", "I4");
        return r;
    }

    /** The members of the last view {@code member} installed. */
    static List<String> finalView(final SimulationResult r, final String member) {
        return r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.INSTALL && e.p().equals(member))
            .reduce((a, b) -> b).orElseThrow().members();
    }
}
