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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user API's edges (issue 16): waiting for the first view, a listener's start before any upcall, a partial
 * node configuration, casting a buffer slice. Real threads on the in-process transport; waits are bounded.
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
}
