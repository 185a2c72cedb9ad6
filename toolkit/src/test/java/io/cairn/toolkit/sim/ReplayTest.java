package io.cairn.toolkit.sim;

import io.cairn.toolkit.Codec;
import io.cairn.toolkit.Recorder;
import io.cairn.toolkit.rsm.ReplicatedMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seed names a run: the same seed gives the same faults, the same operations and the same records, so a failing
 * seed printed by a property replays exactly; another seed gives another run.
 */
class ReplayTest {
    private static List<String> run(final long seed) {
        final Scenario<ReplicatedMap<String, String>> s = new Scenario<>("total", 5, seed, (node, sched, rec, join) -> {
            final ReplicatedMap<String, String> m = new ReplicatedMap<>(sched, Codec.utf8(), Codec.utf8());
            m.block().recorder(rec);
            node.join("map", "total", join, m.block());
            return m;
        }, ReplicatedMap::block);
        final SplittableRandom r = new SplittableRandom(seed);
        s.run(2_000_000_000L, 5_000_000L, () -> {
            final int h = s.randomReady();
            if (h >= 0) {
                s.sim().app(h).put("k" + r.nextInt(3), "v" + r.nextInt(1000));
            }
        }, () -> MapProperties.leaderHost(s), 300_000_000L);
        s.close();
        final List<String> out = new java.util.ArrayList<>(s.ops().stream().map(Recorder.Op::toString).toList());
        out.addAll(s.sim().log());
        return out;
    }

    @Test
    void theSameSeedReplaysExactly() {
        final List<String> first = run(42);
        assertThat(first).anyMatch(l -> l.contains("crash") || l.contains("partition") || l.contains("leave"));
        assertThat(run(42)).isEqualTo(first);
        assertThat(run(43)).isNotEqualTo(first);
    }
}
