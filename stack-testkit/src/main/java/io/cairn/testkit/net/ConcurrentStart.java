package io.cairn.testkit.net;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.api.View;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * N nodes that start at the same moment (a latch releases every thread's build and join together) and join one
 * group with no configured members, so only discovery tells them about each other: the start of N pods behind one
 * headless service. For tests that they form one view rather than several.
 */
public final class ConcurrentStart implements AutoCloseable {
    private final List<Node> nodes = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();

    /**
     * @param n          nodes m0..m(n-1)
     * @param group      group name
     * @param stack      stack name or file (with a membership layer)
     * @param nodeConfig node i's settings (its transport, discovery and addresses)
     * @throws InterruptedException if interrupted while starting
     */
    public ConcurrentStart(final int n, final String group, final String stack, final IntFunction<Config> nodeConfig)
        throws InterruptedException {
        final CountDownLatch go = new CountDownLatch(1);
        final Node[] built = new Node[n];
        final Group[] joined = new Group[n];
        final RuntimeException[] failed = new RuntimeException[n];
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int index = i;
            final Thread t = new Thread(() -> {
                try {
                    go.await();
                    built[index] = Node.builder().name("m" + index)
                        .config(nodeConfig.apply(index).withFallback(ConfigFactory.load())).build();
                    joined[index] = built[index].join(group, stack, ConfigFactory.empty(), new GroupListener() {
                        @Override
                        public void onDeliver(final io.cairn.api.Delivery d) {
                        }
                    });
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (final RuntimeException e) {
                    failed[index] = e;
                }
            }, "start-m" + i);
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (final Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        for (int i = 0; i < n; i++) {
            if (built[i] != null) {
                nodes.add(built[i]);
            }
            if (joined[i] != null) {
                groups.add(joined[i]);
            }
        }
        for (final RuntimeException e : failed) {
            if (e != null) {
                close();
                throw e;
            }
        }
    }

    /** @return the nodes, by index */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return the groups, by index */
    public List<Group> groups() {
        return groups;
    }

    /** @return every member's current view (null: none yet) */
    public List<View> views() {
        final List<View> out = new ArrayList<>();
        for (final Group g : groups) {
            out.add(g.view());
        }
        return out;
    }

    /**
     * @param seconds bound
     * @return whether every member installed the same view, holding all of them, within the bound
     * @throws InterruptedException if interrupted
     */
    public boolean awaitOneView(final long seconds) throws InterruptedException {
        return io.cairn.testkit.LiveGroup.await(this::oneView, seconds);
    }

    /** @return whether every member has the same view, holding all of them */
    public boolean oneView() {
        final List<View> v = views();
        return !v.isEmpty() && v.get(0) != null && v.get(0).size() == groups.size()
            && v.stream().allMatch(x -> x != null && x.id().equals(v.get(0).id()));
    }

    @Override
    public void close() {
        for (final Node n : nodes) {
            n.close();
        }
    }
}
