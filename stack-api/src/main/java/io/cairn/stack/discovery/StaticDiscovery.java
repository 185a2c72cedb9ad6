package io.cairn.stack.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** The configured {@code initial-members} only: looked at once, at start. */
final class StaticDiscovery extends Discovery {
    private final List<InetSocketAddress> list;

    StaticDiscovery(final String path, final List<InetSocketAddress> fixed) {
        super(path, fixed, Duration.ofHours(1));
        this.list = fixed;
    }

    @Override
    protected boolean polls() {
        return false;
    }

    @Override
    protected List<InetSocketAddress> lookup() {
        return list;
    }

    @Override
    public String describe() {
        return "static " + list;
    }
}
