package io.cairn.toolkit.sim;

import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.snapshot.ConsistentSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consistent snapshots under faults aimed at the initiator's view coordinator half of the time, while every member
 * casts: each completed cut is consistent and its channel states exact, judged against what the members sent and
 * delivered.
 */
class SnapshotProperties {
    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void cutsAreConsistent(final int n, final long seed) {
        final Scenario<ConsistentSnapshot> s = new Scenario<>("causal", n, seed, (node, sched, rec, join) -> {
            final long[] count = {0};
            final ConsistentSnapshot c = new ConsistentSnapshot(sched, () -> ByteBuffer.allocate(8).putLong(count[0])
                .array(), (from, payload) -> count[0]++);
            c.recorder(rec);
            node.join("snapshot", "causal", join, c);
            return c;
        }, c -> c);
        final SplittableRandom r = new SplittableRandom(seed);
        final int[] no = {0};
        s.run(3_000_000_000L, 2_000_000L, () -> {
            final int h = s.randomReady();
            if (h < 0) {
                return;
            }
            if (r.nextInt(40) == 0) {
                s.sim().app(h).snapshot();
            } else {
                s.sim().app(h).cast(("m" + h + ":" + ++no[0]).getBytes());
            }
        }, () -> MapProperties.coordinatorHost(s, ConsistentSnapshot::view), 500_000_000L);
        final List<String> v = new ArrayList<>(Checks.snapshots(s.ops()));
        v.addAll(s.progress("cut"));
        s.close();
        assertThat(s.report(v)).isNull();
    }
}
