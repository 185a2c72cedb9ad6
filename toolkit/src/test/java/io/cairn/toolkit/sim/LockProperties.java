package io.cairn.toolkit.sim;

import io.cairn.api.View;
import io.cairn.toolkit.Recorder;
import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.lock.LockService;
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
 * The lock service under faults that aim at the holder of a lock half of the time: mutual exclusion and FIFO grants
 * on every replica, replicas agreeing on every grant, a departed holder's lock released at the view change that
 * removes it, and at the end every replica naming the same holders, all of them members.
 */
class LockProperties {
    private static final String[] LOCKS = {"L0", "L1", "L2"};

    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void locksAreExclusiveAndReleasedWhenTheHolderLeaves(final int n, final long seed) {
        final Scenario<LockService> s = new Scenario<>("total", n, seed, (node, sched, rec, join) -> {
            final LockService l = new LockService(sched);
            l.block().recorder(rec);
            node.join("locks", "total", join, l.block());
            return l;
        }, LockService::block);
        final SplittableRandom r = new SplittableRandom(seed);
        s.run(3_000_000_000L, 5_000_000L, () -> {
            final int h = s.randomReady();
            if (h < 0) {
                return;
            }
            final LockService l = s.sim().app(h);
            final String name = LOCKS[r.nextInt(LOCKS.length)];
            if (l.holds(name)) {
                if (r.nextInt(3) > 0) {
                    l.unlock(name);
                }
            } else if (r.nextBoolean()) {
                l.lock(name);
            } else {
                l.tryLock(name, Duration.ofMillis(50 + r.nextInt(300)));
            }
        }, () -> holderHost(s, LOCKS[0]), 500_000_000L);
        final List<Recorder.Op> ops = Checks.excuseNonUniform(s.ops());
        final List<String> v = new ArrayList<>(Checks.perLife(ops, Checks::locks));
        v.addAll(Checks.perLife(ops, Checks::applyAgreement));
        for (final String name : LOCKS) {
            String holder = null;
            for (int h = 0; h < n; h++) {
                final LockService l = s.sim().app(h);
                if (!l.block().isCurrent()) {
                    v.add("S2 m" + h + "'s replica is not current at the end");
                    continue;
                }
                final String mine = String.valueOf(l.holder(name));
                final View view = l.block().view();
                if (!mine.equals("null") && view.members().stream().noneMatch(m -> m.toString().equals(mine))) {
                    v.add("L2 at the end m" + h + " names " + mine + " holder of " + name + ", not in " + view);
                }
                if (holder == null) {
                    holder = mine;
                } else if (!holder.equals(mine)) {
                    v.add("S2 replicas name different holders of " + name + ": " + holder + " / m" + h + " " + mine);
                }
            }
        }
        v.addAll(s.progress("grant"));
        s.close();
        assertThat(s.report(v)).isNull();
    }

    private static int holderHost(final Scenario<LockService> s, final String name) {
        for (int h = 0; h < s.size(); h++) {
            if (s.ready(h) && s.sim().app(h).block().isCurrent()) {
                final String holder = s.sim().app(h).holder(name);
                return holder == null ? -1 : Integer.parseInt(holder.substring(1, holder.indexOf('#')));
            }
        }
        return -1;
    }
}
