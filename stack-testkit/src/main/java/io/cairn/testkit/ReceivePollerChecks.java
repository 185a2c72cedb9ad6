package io.cairn.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.stack.runtime.ThreadingMode;
import io.cairn.stack.spi.ReceivePoller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Checks shared by the transports whose receive side the thread that runs the stacks can take over
 * ({@link io.cairn.stack.spi.Transport#receiveOn}): a wait that ends on a wakeup and on input, and groups that
 * deliver through {@link Node} while one thread per node reads, or the transport's own threads once two need it.
 */
public final class ReceivePollerChecks {
    /** Something the poller's sockets will see. */
    public interface Input {
        void send() throws Exception;
    }

    private ReceivePollerChecks() {
    }

    /**
     * A wait ends on {@link ReceivePoller#wakeup()} and on input, whether or not it has begun when they come
     * (each bounded: 10 s).
     *
     * @param p     the poller
     * @param input sends input to its sockets
     */
    public static void awaitEndsOnWakeupAndInput(final ReceivePoller p, final Input input) throws Exception {
        for (final boolean byInput : new boolean[] {false, true}) {
            final AtomicBoolean returned = new AtomicBoolean();
            final Thread waiter = new Thread(() -> {
                p.await(60_000_000_000L);
                returned.set(true);
            });
            waiter.start();
            if (byInput) {
                input.send();
            } else {
                p.wakeup();
            }
            waiter.join(10_000);
            if (!returned.get()) {
                throw new AssertionError(byInput ? "a wait that input did not end" : "a wait that wakeup() did not end");
            }
        }
    }

    /**
     * Three nodes with {@code mode} join one group of {@code stack}, then a second; every member casts 100 small
     * messages in each, and every cast must reach every member (bounded: 30 s per view, 60 s for the casts).
     *
     * @param config each node's settings (over {@link ConfigFactory#load()}), given its index and the nodes before it
     * @param check  called for each node once the first group has formed (false) and once both delivered (true)
     */
    public static void twoGroupsOnThreeNodes(final ThreadingMode mode, final String stack,
                                             final BiFunction<Integer, List<Node>, Config> config,
                                             final BiConsumer<Node, Boolean> check) throws Exception {
        final List<Node> nodes = new ArrayList<>();
        try {
            final AtomicLong[][] delivered = new AtomicLong[3][2];
            final List<List<Group>> groups = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < 3; i++) {
                nodes.add(Node.builder().name("r" + i).threading(mode)
                    .config(config.apply(i, List.copyOf(nodes)).withFallback(ConfigFactory.load())).build());
            }
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < 3; i++) {
                    final AtomicLong d = new AtomicLong();
                    delivered[i][k] = d;
                    groups.get(k).add(nodes.get(i).join((k == 0 ? "one-" : "two-") + mode, stack,
                        ConfigFactory.empty(), (Delivery x) -> d.incrementAndGet()));
                }
                final List<Group> g = groups.get(k);
                if (!LiveGroup.await(() -> g.stream().allMatch(x -> x.view() != null && x.view().size() == 3), 30)) {
                    throw new AssertionError("no view of 3 in group " + (k + 1));
                }
                if (k == 0) {
                    nodes.forEach(n -> check.accept(n, false));
                }
            }
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 3; i++) {
                    groups.get(0).get(i).cast(new byte[64]);
                    groups.get(1).get(i).cast(new byte[64]);
                }
            }
            if (!LiveGroup.await(() -> Arrays.stream(delivered).flatMap(Arrays::stream).allMatch(x -> x.get() == 300),
                60)) {
                throw new AssertionError("not every cast delivered everywhere: " + Arrays.deepToString(delivered));
            }
            nodes.forEach(n -> check.accept(n, true));
        } finally {
            for (final Node n : nodes) {
                n.close();
            }
        }
    }
}
