package io.cairn.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.stack.event.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code cairn demo}: three members in one JVM cast to each other and print what they deliver. Until the
 * membership layers land this runs a static group over the in-process transport.
 */
@Command(name = "demo", description = "Three members in one JVM exchange casts; shows views and deliveries.")
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--messages", description = "casts per member (default ${DEFAULT-VALUE})", defaultValue = "3")
    int messages;

    @Override
    public Integer call() throws Exception {
        final String[] names = {"alice", "bob", "carol"};
        final Config members = ConfigFactory.parseString("cairn.stack.members = [alice, bob, carol]");
        final Config node = ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "demo"))
            .withFallback(ConfigFactory.load());
        final CountDownLatch done = new CountDownLatch(names.length * names.length * messages);
        final List<Node> nodes = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        try {
            for (final String n : names) {
                final Node nd = Node.builder().name(n).config(node).build();
                nodes.add(nd);
                groups.add(nd.join("demo", "static-fifo-demo", members, printer(n, done)));
            }
            for (int i = 1; i <= messages; i++) {
                for (final Group g : groups) {
                    g.cast((g.self().name() + " says hello #" + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!done.await(15, TimeUnit.SECONDS)) {
                System.out.println("demo: not every message arrived within 15 s");
                return 1;
            }
            System.out.println("demo: every member delivered all " + names.length * messages + " casts");
            return 0;
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static GroupListener printer(final String name, final CountDownLatch done) {
        return new GroupListener() {
            @Override
            public void onDeliver(final Delivery d) {
                System.out.printf("%-6s #%-3d delivered from %-8s: %s%n", name, d.eventNo(), d.sender(),
                    new String(d.payloadBytes(), StandardCharsets.UTF_8));
                done.countDown();
            }

            @Override
            public void onView(final View view, final long eventNo) {
                System.out.printf("%-6s #%-3d view %s%n", name, eventNo, view);
            }
        };
    }
}
