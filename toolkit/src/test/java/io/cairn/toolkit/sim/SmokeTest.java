package io.cairn.toolkit.sim;

import io.cairn.testkit.sim.AppSimulator;
import io.cairn.toolkit.Codec;
import io.cairn.toolkit.rsm.ReplicatedMap;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void mapReplicates() {
        final AppSimulator<ReplicatedMap<String, String>>[] holder = new AppSimulator[1];
        final AppSimulator<ReplicatedMap<String, String>> sim = new AppSimulator<>("total", 3, 1, (node, host) -> {
            final ReplicatedMap<String, String> m = new ReplicatedMap<>((d, t) -> {
                holder[0].schedule(d, t);
                return io.cairn.toolkit.Scheduler.Cancel.NONE;
            },
                Codec.utf8(), Codec.utf8());
            node.join("map", "total", ConfigFactory.parseString("cairn.stack.members = [m0, m1, m2]"), m.block());
            return m;
        });
        holder[0] = sim;
        assertThat(sim.runUntil(() -> sim.app(0).block().view() != null && sim.app(0).block().view().size() == 3
            && sim.app(2).block().view() != null && sim.app(2).block().view().size() == 3, 10_000_000_000L)).isTrue();
        final CompletableFuture<String> f = sim.app(0).put("a", "1");
        assertThat(sim.runUntil(f::isDone, 5_000_000_000L)).isTrue();
        assertThat(sim.runUntil(() -> "1".equals(sim.app(2).get("a")), 5_000_000_000L)).isTrue();
        sim.close();
    }
}
