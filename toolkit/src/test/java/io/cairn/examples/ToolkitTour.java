package io.cairn.examples;

import io.cairn.api.MemberId;
import io.cairn.api.Node;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Codec;
import io.cairn.toolkit.Scheduler;
import io.cairn.toolkit.cohort.CoordinatorCohort;
import io.cairn.toolkit.consensus.Consensus;
import io.cairn.toolkit.leader.LeaderElection;
import io.cairn.toolkit.lock.LockService;
import io.cairn.toolkit.request.Replies;
import io.cairn.toolkit.request.RequestResult;
import io.cairn.toolkit.rsm.ReplicatedCounter;
import io.cairn.toolkit.rsm.ReplicatedMap;
import io.cairn.toolkit.snapshot.ConsistentSnapshot;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A tour of the toolkit: one small example per block, each on three members in this JVM (in-process transport).
 * Compiled and run by {@code ToolkitTourTest}; the README's toolkit section quotes it.
 */
public final class ToolkitTour implements AutoCloseable {
    private static final Config MEMBERS = ConfigFactory.parseString("cairn.stack.members = [a, b, c]");
    private final List<Node> nodes = new ArrayList<>();

    /** Three nodes on a private in-process network. */
    public ToolkitTour() {
        final Config net = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "tour-" + System.nanoTime()));
        for (final String name : List.of("a", "b", "c")) {
            nodes.add(Node.builder().name(name).config(net).build());
        }
    }

    /** Joins a block on every node and waits until each is in a view of three. */
    private <B> List<B> joinAll(final String group, final String stack, final Function<Integer, B> create,
                                final Function<B, Block> block) {
        final List<B> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final B b = create.apply(i);
            nodes.get(i).join(group, stack, MEMBERS, block.apply(b));
            all.add(b);
        }
        for (final B b : all) {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (block.apply(b).view() == null || block.apply(b).view().size() < 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(group + " did not form");
                }
                Thread.onSpinWait();
            }
        }
        return all;
    }

    /** @return how many replies a request to every member got (3) */
    public int requests() throws Exception {
        final List<io.cairn.toolkit.request.Requests> rs = joinAll("tour-requests", "total",
            i -> new io.cairn.toolkit.request.Requests(Scheduler.shared(), (from, req) -> ("pong from " + i).getBytes()),
            r -> r);
        final RequestResult result = rs.get(0).request("ping".getBytes(), Replies.all(), Duration.ofSeconds(5))
            .get(10, TimeUnit.SECONDS);
        return result.replies().size();
    }

    /** @return the reply of a request executed once, by its primary */
    public String coordinatorCohort() throws Exception {
        final List<CoordinatorCohort> cs = joinAll("tour-cohort", "vsync",
            i -> new CoordinatorCohort(Scheduler.shared(), (from, id, req) -> ("done " + id).getBytes()), c -> c);
        return new String(cs.get(1).request("job".getBytes(), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS),
            StandardCharsets.UTF_8);
    }

    /** @return the value c reads through the total order after a writes it */
    public String replicatedMap() throws Exception {
        final List<ReplicatedMap<String, String>> maps = joinAll("tour-map", "total",
            i -> new ReplicatedMap<>(Scheduler.shared(), Codec.utf8(), Codec.utf8()), ReplicatedMap::block);
        maps.get(0).put("colour", "blue").get(10, TimeUnit.SECONDS);
        return maps.get(2).syncGet("colour").get(10, TimeUnit.SECONDS);   // linearizable: sees the put
    }

    /** @return the counter after each member added 1, 2 and 3 */
    public long replicatedCounter() throws Exception {
        final List<ReplicatedCounter> cs = joinAll("tour-counter", "total", i -> new ReplicatedCounter(
            Scheduler.shared()), ReplicatedCounter::block);
        for (int i = 0; i < 3; i++) {
            cs.get(i).addAndGet(i + 1).get(10, TimeUnit.SECONDS);
        }
        return cs.get(0).syncGet().get(10, TimeUnit.SECONDS);
    }

    /** @return the leader each member names (the oldest member, the same everywhere) */
    public List<MemberId> leader() {
        final List<LeaderElection> es = joinAll("tour-leader", "vsync", i -> new LeaderElection(Scheduler.shared()),
            e -> e);
        return es.stream().map(LeaderElection::leader).toList();
    }

    /** @return the decision of every member for one instance */
    public List<String> consensus() throws Exception {
        final List<Consensus> cs = joinAll("tour-consensus", "vsync",
            i -> new Consensus(Scheduler.shared(), instance -> (i == 2 ? "tea" : "coffee").getBytes()), c -> c);
        final List<String> decisions = new ArrayList<>();
        for (final Consensus c : cs) {
            decisions.add(new String(c.decide("drink").get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        }
        return decisions;   // the majority's input, everywhere
    }

    /** @return who held the lock, in grant order, when all three asked for it */
    public List<String> locks() throws Exception {
        final List<LockService> ls = joinAll("tour-locks", "total", i -> new LockService(Scheduler.shared()),
            LockService::block);
        final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            final LockService l = ls.get(i);
            final String who = "abc".substring(i, i + 1);
            l.lock("printer").get(10, TimeUnit.SECONDS);   // mutually exclusive within the primary partition
            order.add(who);
            l.unlock("printer").get(10, TimeUnit.SECONDS);
        }
        return order;
    }

    /** @return the number of parts of a consistent cut taken while every member casts */
    public int snapshot() throws Exception {
        final List<AtomicLong> seen = List.of(new AtomicLong(), new AtomicLong(), new AtomicLong());
        final List<ConsistentSnapshot> ss = joinAll("tour-snapshot", "causal", i -> new ConsistentSnapshot(
            Scheduler.shared(), () -> Long.toString(seen.get(i).get()).getBytes(),
            (from, payload) -> seen.get(i).incrementAndGet()), s -> s);
        for (int k = 0; k < 30; k++) {
            ss.get(k % 3).cast(("m" + k).getBytes());
        }
        return ss.get(0).snapshot().get(10, TimeUnit.SECONDS).parts().size();
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
