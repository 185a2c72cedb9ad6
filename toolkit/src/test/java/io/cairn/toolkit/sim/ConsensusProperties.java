package io.cairn.toolkit.sim;

import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.consensus.Consensus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consensus under faults aimed at the leader half of the time: agreement and validity always, and termination once
 * the faults stop (no member of the final view still waits for a decision).
 */
class ConsensusProperties {
    private static final String[] VALUES = {"x", "y", "z"};

    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    static Stream<Arguments> uniformSeeds() {
        return Seeds.of(10);
    }

    /**
     * Over {@code vsync} (not uniform) a leader that crashes or is cut off may have delivered its own DECIDE, which
     * nobody else did: its last view is excused, as for every non-uniform stack (the map's property does the same).
     */
    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void agreementValidityTermination(final int n, final long seed) {
        run("vsync", n, seed);
    }

    /** Over {@code safe-total} nothing is excused: agreement is uniform, a crashed leader's decision included. */
    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("uniformSeeds")
    void uniformAgreementOverSafeTotal(final int n, final long seed) {
        run("safe-total", n, seed);
    }

    private static void run(final String stack, final int n, final long seed) {
        final Scenario<Consensus> s = new Scenario<>(stack, n, seed, (node, sched, rec, join) -> {
            // Each member's input for an instance is fixed (asked again in later rounds, it answers the same).
            final Consensus c = new Consensus(sched, instance -> VALUES[Math.floorMod((node.self().name() + instance)
                .hashCode(), VALUES.length)].getBytes());
            c.recorder(rec);
            node.join("consensus", stack, join, c);
            return c;
        }, c -> c);
        final SplittableRandom r = new SplittableRandom(seed);
        s.run(3_000_000_000L, 10_000_000L, () -> {
            final int h = s.randomReady();
            if (h >= 0) {
                s.sim().app(h).decide("i" + r.nextInt(40));
            }
        }, () -> MapProperties.coordinatorHost(s, Consensus::view), 2_000_000_000L);
        // Inputs count from every member; decisions without what a non-uniform stack excuses.
        final List<io.cairn.toolkit.Recorder.Op> counted = Checks.judged(stack, s.ops());
        final java.util.Set<io.cairn.toolkit.Recorder.Op> countedSet = java.util.Collections.newSetFromMap(
            new java.util.IdentityHashMap<>());
        countedSet.addAll(counted);
        final List<String> v = new ArrayList<>(Checks.perLife(s.ops(), life -> Checks.consensus(life,
            life.stream().filter(countedSet::contains).toList())));
        for (int h = 0; h < n; h++) {
            if (s.sim().app(h).pending() > 0) {
                v.add("K3 m" + h + " still waits for " + s.sim().app(h).pending() + " decisions at the end");
            }
        }
        v.addAll(s.progress("decide"));
        s.close();
        assertThat(s.report(v)).isNull();
    }
}
