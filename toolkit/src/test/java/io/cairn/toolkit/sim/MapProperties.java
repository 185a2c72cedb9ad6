package io.cairn.toolkit.sim;

import io.cairn.toolkit.Codec;
import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.rsm.ReplicatedMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replicated map under the fault matrix's toolkit rows: equal apply logs, the per-operation history check
 * (reads return the latest write before them in the total order; each caller's operations in program order), and
 * equal replicas at the end. Faults aim at the sequencer (the view's oldest member) half of the time.
 */
class MapProperties {
    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    static Stream<Arguments> uniformSeeds() {
        return Seeds.of(10);
    }

    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void mapHistoryHoldsUnderFaults(final int n, final long seed) {
        run("total", n, seed);
    }

    /** Over a uniform stack nothing is excused: not even a cut-off or crashed member's last view. */
    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("uniformSeeds")
    void overSafeTotalNothingIsExcused(final int n, final long seed) {
        run("safe-total", n, seed);
    }

    private static void run(final String stack, final int n, final long seed) {
        final Scenario<ReplicatedMap<String, String>> s = new Scenario<>(stack, n, seed, (node, sched, rec, join) -> {
            final ReplicatedMap<String, String> m = new ReplicatedMap<>(sched, Codec.utf8(), Codec.utf8());
            m.block().recorder(rec);
            node.join("map", stack, join, m.block());
            return m;
        }, ReplicatedMap::block);
        final SplittableRandom r = new SplittableRandom(seed);
        final int[] value = {0};
        s.run(3_000_000_000L, 5_000_000L, () -> {
            final int h = s.randomReady();
            if (h < 0) {
                return;
            }
            final ReplicatedMap<String, String> m = s.sim().app(h);
            final String key = "k" + r.nextInt(4);
            switch (r.nextInt(6)) {
                case 0, 1 -> m.put(key, "v" + ++value[0]);
                case 2 -> m.remove(key);
                case 3 -> {
                    if (m.block().isCurrent()) {
                        m.get(key);
                    }
                }
                default -> m.syncGet(key);
            }
        }, () -> leaderHost(s), 500_000_000L);
        final List<io.cairn.toolkit.Recorder.Op> ops = Checks.judged(stack, s.ops());
        final List<String> v = new ArrayList<>(Checks.perLife(ops, Checks::applyAgreement));
        v.addAll(Checks.perLife(ops, Checks::mapHistory));
        Object first = null;
        for (int h = 0; h < n; h++) {
            final ReplicatedMap<String, String> m = s.sim().app(h);
            if (!m.block().isCurrent()) {
                v.add("S2 m" + h + "'s replica is not current at the end");
            } else if (first == null) {
                first = m.toMap();
            } else if (!m.toMap().equals(first)) {
                v.add("S2 replicas differ at the end: " + first + " / m" + h + " " + m.toMap());
            }
        }
        v.addAll(s.progress("w"));
        s.close();
        if (System.getProperty("cairn.toolkit.dump") != null) {
            s.ops().stream().filter(o -> !o.op().equals("invoke")).forEach(System.out::println);
        }
        assertThat(s.report(v)).isNull();
    }

    /** The host of the view's leader (the sequencer of {@code total}), as the fault's target. */
    static int leaderHost(final Scenario<ReplicatedMap<String, String>> s) {
        return coordinatorHost(s, m -> m.block().view());
    }

    /**
     * @param s    the scenario
     * @param view the view of a host's application
     * @param <A>  the application
     * @return the host of the coordinator of the first ready host's view, or -1
     */
    static <A> int coordinatorHost(final Scenario<A> s, final java.util.function.Function<A, io.cairn.api.View> view) {
        for (int h = 0; h < s.size(); h++) {
            if (s.ready(h)) {
                final io.cairn.api.View v = view.apply(s.sim().app(h));
                if (v != null) {
                    return Integer.parseInt(v.coordinator().name().substring(1));
                }
            }
        }
        return -1;
    }
}
