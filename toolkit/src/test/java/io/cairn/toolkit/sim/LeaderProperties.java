package io.cairn.toolkit.sim;

import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.leader.LeaderElection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leader election under faults aimed at the leader half of the time: every member names its view's oldest member,
 * all members of a view agree, no two primary views of one epoch share a member, and at the end every member names
 * the same leader.
 */
class LeaderProperties {
    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void oneLeaderPerView(final int n, final long seed) {
        final Scenario<LeaderElection> s = new Scenario<>("vsync", n, seed, (node, sched, rec, join) -> {
            final LeaderElection e = new LeaderElection(sched);
            e.recorder(rec);
            node.join("leader", "vsync", join, e);
            return e;
        }, e -> e);
        s.run(3_000_000_000L, 50_000_000L, () -> {
        }, () -> MapProperties.coordinatorHost(s, LeaderElection::view), 200_000_000L);
        final List<String> v = new ArrayList<>(Checks.leaders(s.ops()));
        for (int h = 1; h < n; h++) {
            if (!String.valueOf(s.sim().app(h).leader()).equals(String.valueOf(s.sim().app(0).leader()))) {
                v.add("LE2 at the end m0 names " + s.sim().app(0).leader() + ", m" + h + " " + s.sim().app(h).leader());
            }
        }
        v.addAll(s.progress("leader"));
        s.close();
        assertThat(s.report(v)).isNull();
    }
}
