package io.cairn.configs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.stack.runtime.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user API's edges (issue 16): waiting for the first view, a listener's start before any upcall, a partial
 * node configuration, casting a buffer slice, a blocking call inside an upcall. Real threads on the in-process
 * transport; waits are bounded.
 */
class GroupApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Node> nodes = new ArrayList<>();
    private final String network = "group-api-" + System.nanoTime();

    private Node node(final String name) {
        final Node n = Node.builder().name(name)
            .config(ConfigFactory.parseString("cairn.transport.inproc.network = \"" + network + "\"")).build();
        nodes.add(n);
        return n;
    }

    private static Config members(final String... names) {
        return ConfigFactory.parseString("cairn.stack.members = [" + String.join(", ", names) + "]");
    }

    @AfterEach
    void close() {
        nodes.forEach(Node::close);
    }

    @Test
    void shouldWaitForTheFirstViewThatTakesTheJoinerIn() {
        final Group ga = node("a").join("g", "vsync", members("a", "b"), d -> { });
        final Group gb = node("b").join("g", "vsync", members("a", "b"), d -> { });
        final View v = gb.awaitView(WAIT);
        assertThat(v.contains(gb.self())).isTrue();
        assertThat(v.contains(ga.self())).as("a founded the group and took b in").isTrue();
    }

    @Test
    void shouldSayWhyWhenNoViewComes() {
        // b is not the first configured member, so it waits for a's founding view, which never comes.
        final Group gb = node("b").join("g", "vsync", members("a", "b"), d -> { });
        assertThatThrownBy(() -> gb.awaitView(Duration.ofMillis(300)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("b#0 is in no view after PT0.3S")
            .hasMessageContaining("cairn.stack.members");
    }

    @Test
    void shouldStartTheListenerBeforeAnyUpcall() {
        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        final List<Group> started = new ArrayList<>();
        final Group g = node("a").join("g", "reliable-fifo", members("a"), new GroupListener() {
            @Override
            public void onStart(final Group group) {
                started.add(group);
                calls.add("start " + group.orderedRegion().next());
            }

            @Override
            public void onDeliver(final Delivery d) {
                calls.add("deliver");
            }

            @Override
            public void onView(final View view, final long eventNo) {
                calls.add("view " + eventNo);
            }
        });
        g.awaitView(WAIT);
        assertThat(started).containsExactly(g);
        assertThat(calls).startsWith("start 1", "view 1");
    }

    @Test
    void shouldTakeAPartialConfigurationOverTheDefaults() {
        try (Node n = Node.builder().name("a").config(ConfigFactory.parseString("cairn.node.threading = invoker"))
            .build()) {
            assertThat(n.threading()).isEqualTo(ThreadingMode.INVOKER);
        }
        assertThatThrownBy(() -> Node.builder().name("a")
            .config(ConfigFactory.parseString("cairn.node.threading = 5s")).build())
            .hasMessageContaining("cairn.node.threading = 5s is not a threading mode: use dedicated, shared or invoker");
    }

    @Test
    void shouldCastABufferSlice() {
        final ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        final Group g = node("a").join("g", "reliable-fifo", members("a"),
            d -> got.add(new String(d.payloadBytes(), StandardCharsets.UTF_8)));
        g.awaitView(WAIT);
        final UnsafeBuffer buffer = new UnsafeBuffer("xxhelloyy".getBytes(StandardCharsets.UTF_8));
        g.cast(buffer, 2, 5, WAIT);
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(got).containsExactly("hello");
    }

    /**
     * A listener that casts with {@code cast} (which waits out back-pressure) inside {@code onDeliver}: once the
     * command queue is full, waiting would wait for the very stack thread that runs the upcall (in INVOKER mode it
     * would run that stack again, nested in its own upcall). It gets an {@link IllegalStateException} at once, in
     * every threading mode, and the stack goes on: what it did accept is delivered, and so are later casts.
     */
    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldRefuseToWaitInsideAnUpcall(final ThreadingMode mode) {
        final Node n = node(mode, "cairn.runtime.max-queued-casts = 2K");
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicInteger accepted = new AtomicInteger();
        final ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        final Group g = n.join("g", "reliable-fifo", members("a"), new SelfAware() {
            @Override
            public void onDeliver(final Delivery d) {
                final String p = new String(d.payloadBytes(), StandardCharsets.UTF_8);
                got.add(p);
                if (p.equals("go")) {
                    try {
                        for (int i = 0; i < 100; i++) {
                            group.cast(("in-upcall-" + i).getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
                            accepted.incrementAndGet();
                        }
                    } catch (final RuntimeException e) {
                        thrown.set(e);
                    }
                }
            }
        });
        g.awaitView(WAIT);
        g.cast("go".getBytes(StandardCharsets.UTF_8), WAIT);
        await(n, () -> thrown.get() != null);
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("group 'g': cast would wait inside an upcall").hasMessageContaining("tryCast");
        assertThat(accepted.get()).as("casts the queue took before it was full").isBetween(1, 99);
        g.cast("after".getBytes(StandardCharsets.UTF_8), WAIT);
        await(n, () -> got.contains("after"));
        final List<String> expected = new ArrayList<>(List.of("go"));
        for (int i = 0; i < accepted.get(); i++) {
            expected.add("in-upcall-" + i);
        }
        expected.add("after");
        assertThat(got).as("everything accepted is delivered once, in order").containsExactlyElementsOf(expected);
    }

    /**
     * A listener may close its own group from an upcall (as on a fatal message), in every threading mode: no upcall
     * follows, the stack's thread (DEDICATED) ends, and the node goes on running its other groups.
     */
    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldCloseTheGroupFromItsOwnUpcall(final ThreadingMode mode) {
        final Node n = node(mode, "");
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        final Group g = n.join("g", "reliable-fifo", members("a"), new SelfAware() {
            @Override
            public void onDeliver(final Delivery d) {
                got.add(new String(d.payloadBytes(), StandardCharsets.UTF_8));
                try {
                    group.close();
                } catch (final RuntimeException e) {
                    thrown.set(e);
                }
            }
        });
        g.awaitView(WAIT);
        g.cast("bye".getBytes(StandardCharsets.UTF_8), WAIT);
        await(n, () -> got.contains("bye") && g.isClosed());
        assertThat(thrown.get()).isNull();
        assertThatThrownBy(() -> g.cast("late".getBytes(StandardCharsets.UTF_8), WAIT))
            .hasMessageContaining("group 'g' is closed");
        if (mode == ThreadingMode.DEDICATED) {
            await(n, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("cairn-g-a") && t.isAlive()));
        }
        final ConcurrentLinkedQueue<String> atH = new ConcurrentLinkedQueue<>();
        final Group h = n.join("h", "reliable-fifo", members("a"),
            d -> atH.add(new String(d.payloadBytes(), StandardCharsets.UTF_8)));
        h.awaitView(WAIT);
        h.cast("still here".getBytes(StandardCharsets.UTF_8), WAIT);
        await(n, () -> atH.contains("still here"));
        assertThat(got).containsExactly("bye");
    }

    /**
     * The first {@code onView} of a stack without membership comes as the stack starts (in INVOKER mode on the
     * joining thread, outside any duty cycle): waiting for the view there is refused too, and so is closing the
     * node from an upcall; the group goes on.
     */
    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldRefuseToWaitInTheFirstViewOrToCloseTheNodeInAnUpcall(final ThreadingMode mode) {
        final Node n = node(mode, "");
        final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        final Group g = n.join("g", "reliable-fifo", members("a"), new SelfAware() {
            @Override
            public void onView(final View view, final long eventNo) {
                try {
                    group.awaitView(WAIT);
                } catch (final IllegalStateException e) {
                    refused.add(e.getMessage());
                }
            }

            @Override
            public void onDeliver(final Delivery d) {
                got.add(new String(d.payloadBytes(), StandardCharsets.UTF_8));
                try {
                    n.close();
                } catch (final IllegalStateException e) {
                    refused.add(e.getMessage());
                }
            }
        });
        g.awaitView(WAIT);
        g.cast("one".getBytes(StandardCharsets.UTF_8), WAIT);
        g.cast("two".getBytes(StandardCharsets.UTF_8), WAIT);
        await(n, () -> got.size() == 2);
        assertThat(got).containsExactly("one", "two");
        assertThat(refused).hasSize(3);
        assertThat(refused).first().asString().contains("group 'g': awaitView would wait inside an upcall");
        assertThat(refused).last().asString().contains("Node.close() inside an upcall of group 'g'");
        assertThat(g.isClosed()).isFalse();
    }

    /**
     * What would wait for, or run, the thread that runs an upcall is refused there: a join with SHARED threading
     * (it waits for the shared thread to take the new stack) and {@code doWork()} with INVOKER threading.
     */
    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = {"SHARED", "INVOKER"})
    void shouldRefuseToJoinOrDriveTheNodeInsideAnUpcall(final ThreadingMode mode) {
        final Node n = node(mode, "");
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Group g = n.join("g", "reliable-fifo", members("a"), d -> {
            try {
                if (mode == ThreadingMode.SHARED) {
                    n.join("h", "reliable-fifo", members("a"), x -> { });
                } else {
                    n.doWork();
                }
            } catch (final IllegalStateException e) {
                thrown.set(e);
            }
        });
        g.awaitView(WAIT);
        g.cast("go".getBytes(StandardCharsets.UTF_8), WAIT);
        await(n, () -> thrown.get() != null);
        assertThat(thrown.get()).hasMessageContaining(mode == ThreadingMode.SHARED
            ? "joining a group inside an upcall would wait for the shared thread" : "doWork() inside one of the node's upcalls");
    }

    /**
     * Casts refused for lack of credit or queue room wait for the stack to announce room (issue 20: they polled
     * every 50 us before, a context switch each at saturation). Three threads cast into a small queue, with credit
     * for two casts at a time that the member's own deliveries give back, in every threading mode (INVOKER: the
     * waiting casts drive the node, one at a time): credit runs out (counted), every cast is delivered once, and
     * each thread's casts in its order.
     */
    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldWaitForRoomAndLoseNothing(final ThreadingMode mode) throws Exception {
        final Node n = node(mode, "cairn.runtime.max-queued-casts = 4K\ncairn.layer.credit-flow.max-credits = 1K");
        final int senders = 3;
        final int casts = 1500;
        final List<List<Integer>> got = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            got.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        final AtomicInteger delivered = new AtomicInteger();
        final Group g = n.join("g", "vsync", members("a"), d -> {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d.payloadBytes());
            got.get(b.getInt()).add(b.getInt());
            delivered.incrementAndGet();
        });
        g.awaitView(WAIT);
        final List<Thread> threads = new ArrayList<>();
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            final Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < casts; i++) {
                        g.cast(java.nio.ByteBuffer.allocate(512).putInt(sender).putInt(i).array(), WAIT);
                    }
                } catch (final Throwable e) {
                    failed.set(e);
                }
            });
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        await(n, () -> delivered.get() == senders * casts || failed.get() != null);
        for (final Thread t : threads) {
            t.join(WAIT.toMillis());
            assertThat(t.isAlive()).as("sender ended").isFalse();
        }
        assertThat(failed.get()).isNull();
        for (int s = 0; s < senders; s++) {
            assertThat(got.get(s)).as("sender " + s + ": every cast once, in order")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, casts).boxed().toList());
        }
        assertThat(g.stats()).as("credit ran out, so casts waited on it").hasEntrySatisfying("credit-flow.blocked",
            v -> assertThat(v).isPositive());
    }

    /** A group closed by its listener's {@code onStart} never runs. */
    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldNotRunAGroupClosedInOnStart(final ThreadingMode mode) {
        final Node n = node(mode, "");
        final ConcurrentLinkedQueue<String> upcalls = new ConcurrentLinkedQueue<>();
        final Group g = n.join("g", "reliable-fifo", members("a"), new GroupListener() {
            @Override
            public void onStart(final Group self) {
                self.close();
            }

            @Override
            public void onView(final View view, final long eventNo) {
                upcalls.add("view");
            }

            @Override
            public void onDeliver(final Delivery d) {
                upcalls.add("deliver");
            }
        });
        assertThat(g.isClosed()).isTrue();
        if (mode == ThreadingMode.INVOKER) {
            n.doWork();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cairn-g-a"));
        assertThat(upcalls).isEmpty();
    }

    /** A listener that keeps its group from {@code onStart}, for upcalls that call back into it. */
    private abstract static class SelfAware implements GroupListener {
        volatile Group group;

        @Override
        public void onStart(final Group self) {
            group = self;
        }
    }

    /** Node "a" on this test's in-process network, in the given threading mode, with extra settings. */
    private Node node(final ThreadingMode mode, final String extra) {
        final Node n = Node.builder().name("a").config(ConfigFactory.parseString("cairn.transport.inproc.network = \""
            + network + "\"\ncairn.node.threading = " + mode.name().toLowerCase() + "\n" + extra)).build();
        nodes.add(n);
        return n;
    }

    private static void await(final Node n, final BooleanSupplier done) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within " + WAIT).isNegative();
            if (n.threading() == ThreadingMode.INVOKER) {
                n.doWork();
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
