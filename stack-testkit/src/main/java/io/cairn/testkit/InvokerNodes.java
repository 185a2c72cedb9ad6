package io.cairn.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Node;
import io.cairn.stack.runtime.ThreadingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nodes driven by the test's thread ({@link ThreadingMode#INVOKER}) on one manual clock: time passes only in
 * {@link #run}, a millisecond at a time, and a node left out of a run is silent for it (a crash, as the others see
 * it). For API-level tests of timing-dependent behaviour without sleeping.
 */
public final class InvokerNodes implements AutoCloseable {
    private final ManualClock clock = new ManualClock();
    private final List<Node> nodes = new ArrayList<>();

    /**
     * @param name   the node's name
     * @param config its settings (over the defaults)
     * @return the node, run by {@link #run} from now on
     */
    public Node start(final String name, final Config config) {
        final Node n = Node.builder().name(name).config(config.withFallback(ConfigFactory.load()))
            .threading(ThreadingMode.INVOKER).clock(clock).build();
        nodes.add(n);
        return n;
    }

    /** @return every node started */
    public List<Node> all() {
        return List.copyOf(nodes);
    }

    /**
     * Advances the clock by {@code millis}, a millisecond at a time, running each of {@code running} until it is
     * idle (at most 100 duty cycles) after every step.
     *
     * @param millis  virtual milliseconds
     * @param running the nodes that run meanwhile
     */
    public void run(final long millis, final List<Node> running) {
        for (long t = 0; t < millis; t++) {
            clock.advance(1, TimeUnit.MILLISECONDS);
            for (final Node n : running) {
                for (int i = 0; i < 100 && n.doWork() > 0; i++) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** @param millis virtual milliseconds during which every node runs */
    public void run(final long millis) {
        run(millis, all());
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
