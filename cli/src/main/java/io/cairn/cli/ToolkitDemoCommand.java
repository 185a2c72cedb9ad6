package io.cairn.cli;

import io.cairn.api.Node;
import io.cairn.toolkit.Block;
import io.cairn.toolkit.Codec;
import io.cairn.toolkit.Scheduler;
import io.cairn.toolkit.lock.LockService;
import io.cairn.toolkit.rsm.ReplicatedMap;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code cairn demo toolkit}: a replicated map and a lock service survive a crash. alice, bob and carol replicate a
 * map and share a lock; alice takes the lock, writes, and crashes while holding it (her node stops without leaving);
 * the others exclude her, the lock passes to bob, who was waiting, and the map is intact on every survivor.
 */
@Command(name = "toolkit", description = "A replicated map and a lock survive the crash of the lock's holder.")
public final class ToolkitDemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--transport", defaultValue = "inproc", description = "inproc or udp (multicast on lo; default "
        + "${DEFAULT-VALUE})")
    String transport;

    private final List<Node> nodes = new ArrayList<>();
    private final List<ReplicatedMap<String, String>> maps = new ArrayList<>();
    private final List<LockService> locks = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        final long start = System.nanoTime();
        final String suffix = "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        final Config join = ConfigFactory.parseString("cairn.stack.members = [alice, bob, carol]\n"
            + "cairn.stack.transport = " + transport);
        final Config node = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "demo" + suffix))
            .withFallback(ConfigFactory.load());
        final String[] names = {"alice", "bob", "carol"};
        try {
            System.out.println("== alice, bob and carol replicate a map and share a lock service (stack total over "
                + transport + ")");
            for (final String name : names) {
                final Node n = Node.builder().name(name).config(node).build();
                nodes.add(n);
                final ReplicatedMap<String, String> map = new ReplicatedMap<>(Scheduler.shared(), Codec.utf8(),
                    Codec.utf8());
                n.join("map" + suffix, "total", join, map.block());
                maps.add(map);
                final LockService lock = new LockService(Scheduler.shared());
                n.join("locks" + suffix, "total", join, lock.block());
                locks.add(lock);
            }
            await("every member in a view of three", () -> full(maps) && fullLocks());
            System.out.println("   views: " + maps.get(0).block().view());

            locks.get(0).lock("printer").get(10, TimeUnit.SECONDS);
            System.out.println("== alice holds the lock 'printer'; bob and carol queue for it");
            final CompletableFuture<Void> bob = locks.get(1).lock("printer");
            final CompletableFuture<Void> carol = locks.get(2).lock("printer");
            bob.thenRun(() -> System.out.println("   bob: granted 'printer'"));
            carol.thenRun(() -> System.out.println("   carol: granted 'printer'"));
            for (int i = 0; i < names.length; i++) {
                maps.get(i).put("written-by-" + names[i], "v" + i).get(10, TimeUnit.SECONDS);
            }
            maps.get(0).put("job", "report.pdf").get(10, TimeUnit.SECONDS);
            System.out.println("== every member wrote; alice's replica: " + new TreeMap<>(maps.get(0).toMap()));

            System.out.println("== alice crashes while holding the lock (her node stops without leaving)");
            nodes.get(0).close();
            // The lock goes to whichever of bob and carol asked first in the total order.
            CompletableFuture.anyOf(bob, carol).get(15, TimeUnit.SECONDS);
            final int next = bob.isDone() ? 1 : 2;
            await("bob and carol in a view without alice", () -> size(maps.get(1).block()) == 2
                && size(maps.get(2).block()) == 2);
            System.out.println("   views: " + maps.get(1).block().view());
            System.out.println("   holder of 'printer' on bob's replica: " + locks.get(1).holder("printer")
                + ", on carol's: " + locks.get(2).holder("printer"));
            final String jobSeen = maps.get(1).syncGet("job").get(10, TimeUnit.SECONDS);
            System.out.println("   bob reads 'job' through the total order: " + jobSeen);
            final Map<String, String> b = new TreeMap<>(maps.get(1).toMap());
            final Map<String, String> c = new TreeMap<>(maps.get(2).toMap());
            System.out.println("   bob's replica:   " + b);
            System.out.println("   carol's replica: " + c);
            System.out.println("== " + names[next] + " unlocks; the lock passes to " + names[3 - next]);
            locks.get(next).unlock("printer").get(10, TimeUnit.SECONDS);
            (next == 1 ? carol : bob).get(10, TimeUnit.SECONDS);
            final boolean ok = b.equals(c) && b.size() == 4 && "report.pdf".equals(jobSeen);
            System.out.printf("== %s in %.1f s%n", ok ? "the map and the lock survived the crash"
                : "FAILED: the survivors disagree", (System.nanoTime() - start) / 1e9);
            return ok ? 0 : 1;
        } finally {
            for (final Node n : nodes) {
                n.close();
            }
        }
    }

    private boolean fullLocks() {
        return locks.stream().allMatch(l -> size(l.block()) == 3);
    }

    private static boolean full(final List<ReplicatedMap<String, String>> ms) {
        return ms.stream().allMatch(m -> size(m.block()) == 3);
    }

    private static int size(final Block b) {
        return b.view() == null ? 0 : b.view().size();
    }

    private static void await(final String what, final BooleanSupplier done) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
