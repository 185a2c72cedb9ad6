package io.cairn.configs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.View;
import io.cairn.testkit.InvokerNodes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the public API, on virtual time: a member that stops running for longer than the failure-detection
 * timeout is excluded; when it runs again it learns so, and its {@link Group} rejoins by itself as the next
 * incarnation, with upcall numbers that keep increasing.
 */
class AutoRejoinTest {
    private final InvokerNodes nodes = new InvokerNodes();

    private Node node(final String name) {
        return nodes.start(name, ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network", "rejoin-test")));
    }

    @Test
    void shouldRejoinAsTheNextIncarnationAfterBeingExcluded() {
        final Config seeds = ConfigFactory.parseString("cairn.stack.members = [a, b, c]");
        final List<String> atC = new ArrayList<>();
        final List<Long> numbersAtC = new ArrayList<>();
        try {
            final Node a = node("a");
            final Node b = node("b");
            final Node c = node("c");
            final Group ga = a.join("g", "vsync", seeds, d -> { });
            b.join("g", "vsync", seeds, d -> { });
            final Group gc = c.join("g", "vsync", seeds, new GroupListener() {
                @Override
                public void onDeliver(final Delivery d) {
                    numbersAtC.add(d.eventNo());
                }

                @Override
                public void onView(final View view, final long eventNo) {
                    atC.add("view " + view.members());
                    numbersAtC.add(eventNo);
                }

                @Override
                public void onExit(final String reason, final long eventNo) {
                    atC.add("exit " + reason);
                    numbersAtC.add(eventNo);
                }
            });
            nodes.run(1000);
            assertThat(ga.view().size()).isEqualTo(3);
            nodes.run(3000, List.of(a, b));
            assertThat(ga.view().members()).extracting(Object::toString).containsExactly("a#0", "b#0");
            nodes.run(3000);
            assertThat(atC).anyMatch(s -> s.startsWith("exit excluded"));
            assertThat(gc.self().toString()).isEqualTo("c#1");
            assertThat(ga.view().members()).extracting(Object::toString).containsExactly("a#0", "b#0", "c#1");
            assertThat(gc.view()).isEqualTo(ga.view());
            assertThat(numbersAtC).isSorted().doesNotHaveDuplicates();
        } finally {
            nodes.close();
        }
    }
}
