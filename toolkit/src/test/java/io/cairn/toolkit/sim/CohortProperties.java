package io.cairn.toolkit.sim;

import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.cohort.CoordinatorCohort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coordinator-cohort under faults aimed at the coordinator half of the time (requests are spread over all members,
 * so most faults strike some request's primary): exactly one reply per request id, from a member that executed it,
 * and every request of a member still in the group answered by the end.
 */
class CohortProperties {
    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void exactlyOneReplyPerRequest(final int n, final long seed) {
        final Scenario<CoordinatorCohort> s = new Scenario<>("vsync", n, seed, (node, sched, rec, join) -> {
            final CoordinatorCohort c = new CoordinatorCohort(sched, (from, id, req) -> id.getBytes());
            c.recorder(rec);
            node.join("cohort", "vsync", join, c);
            return c;
        }, c -> c);
        final SplittableRandom r = new SplittableRandom(seed);
        s.run(3_000_000_000L, 5_000_000L, () -> {
            final int h = s.randomReady();
            if (h >= 0 && r.nextInt(2) == 0) {
                s.sim().app(h).request(new byte[16], Duration.ofSeconds(120));
            }
        }, () -> MapProperties.coordinatorHost(s, CoordinatorCohort::view), 2_000_000_000L);
        final List<String> v = new ArrayList<>(Checks.cohort(s.ops()));
        for (int h = 0; h < n; h++) {
            if (s.sim().app(h).pending() > 0) {
                v.add("C3 m" + h + " still waits for " + s.sim().app(h).pending() + " replies at the end");
            }
        }
        v.addAll(s.progress("reply"));
        s.close();
        assertThat(s.report(v)).isNull();
    }
}
