package io.cairn.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code cairn demo}: virtual synchrony in one JVM. alice, bob and carol form a group with the {@code total}
 * stack, cast, bob leaves, dave joins, and everyone casts again; every view and delivery is printed, numbered by
 * the member's event counter.
 */
@Command(name = "demo", subcommands = ToolkitDemoCommand.class,
    description = "Three members form a group, cast, one leaves, one joins: views and "
    + "deliveries are shown.")
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--stack", defaultValue = "total", description = "stack to run (default ${DEFAULT-VALUE}: "
        + "virtual synchrony with total order)")
    String stack;

    @Option(names = "--transport", defaultValue = "udp", description = "udp (multicast on lo, 127.0.0.1) or inproc "
        + "(default ${DEFAULT-VALUE})")
    String transport;

    private final String groupName = "demo-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;

    @Option(names = "--messages", defaultValue = "2", description = "casts per member per round (default "
        + "${DEFAULT-VALUE})")
    int messages;

    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        final Config seeds = ConfigFactory.parseString("cairn.stack.members = [alice, bob, carol]\n"
            + "cairn.stack.transport = " + transport);
        final Config node = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "demo-" + System.nanoTime()))
            .withFallback(ConfigFactory.load());
        try {
            System.out.println("== alice, bob and carol join group '" + groupName + "' (stack " + stack + " over "
                + transport + ")");
            final Group alice = member("alice", node, seeds);
            final Group bob = member("bob", node, seeds);
            final Group carol = member("carol", node, seeds);
            await("a view of 3 members", () -> size(alice) == 3 && size(bob) == 3 && size(carol) == 3);

            System.out.println("== everyone casts " + messages + " messages");
            castRound(List.of(alice, bob, carol));
            await("every cast delivered everywhere", () -> all(List.of("alice", "bob", "carol"), 3 * messages));

            System.out.println("== bob leaves: alice and carol install a view without him");
            bob.leave();
            await("a view without bob", () -> size(alice) == 2 && size(carol) == 2);

            System.out.println("== dave joins and receives the group's state (its message count) from the oldest member");
            final Group dave = member("dave", node, seeds);
            await("a view with dave", () -> size(alice) == 3 && size(carol) == 3 && size(dave) == 3);

            System.out.println("== alice, carol and dave cast " + messages + " messages");
            delivered.values().forEach(c -> c.set(0));
            castRound(List.of(alice, carol, dave));
            await("every cast delivered everywhere", () -> all(List.of("alice", "carol", "dave"), 3 * messages));
            System.out.println("== done: every member of each view delivered the same messages in that view");
            return 0;
        } catch (final IllegalStateException e) {
            System.out.println("demo: " + e.getMessage());
            return 1;
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private Group member(final String name, final Config node, final Config seeds) {
        final Node n = Node.builder().name(name).config(node).build();
        nodes.add(n);
        delivered.put(name, new AtomicInteger());
        return n.join(groupName, stack, seeds, printer(name));
    }

    private static int size(final Group g) {
        final View v = g.view();
        return v == null || g.hasExited() ? 0 : v.size();
    }

    private boolean all(final List<String> names, final int count) {
        return names.stream().allMatch(n -> delivered.get(n).get() >= count);
    }

    private void castRound(final List<Group> groups) {
        for (int i = 1; i <= messages; i++) {
            for (final Group g : groups) {
                g.cast((g.self().name() + " says hello #" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void await(final String what, final BooleanSupplier done) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within 10 s");
            }
            Thread.sleep(5);
        }
    }

    private GroupListener printer(final String name) {
        return new GroupListener() {
            @Override
            public void onDeliver(final Delivery d) {
                System.out.printf("  %-6s #%-3d delivered from %-8s in view %-9s%s: %s%n", name, d.eventNo(),
                    d.sender(), d.viewId(), d.order() > 0 ? " (order " + d.order() + ")" : "",
                    new String(d.payloadBytes(), StandardCharsets.UTF_8));
                delivered.get(name).incrementAndGet();
            }

            @Override
            public void onView(final View view, final long eventNo) {
                System.out.printf("  %-6s #%-3d view %s%n", name, eventNo, view);
            }

            @Override
            public void onBlock(final long eventNo) {
                System.out.printf("  %-6s #%-3d blocked: flushing the view%n", name, eventNo);
            }

            @Override
            public java.io.InputStream provideState(final io.cairn.api.MemberId joiner) {
                final String state = "messages delivered so far: " + delivered.get(name).get();
                System.out.printf("  %-6s      sends its state to %s: \"%s\"%n", name, joiner, state);
                return new java.io.ByteArrayInputStream(state.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void receiveStateChunk(final byte[] chunk, final boolean last) {
                System.out.printf("  %-6s      received state: \"%s\"%s%n", name,
                    new String(chunk, StandardCharsets.UTF_8), last ? "" : " (more follows)");
            }

            @Override
            public void onExit(final String reason, final long eventNo) {
                System.out.printf("  %-6s #%-3d exited: %s%n", name, eventNo, reason);
            }
        };
    }
}
