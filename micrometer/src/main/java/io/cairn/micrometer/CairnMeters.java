package io.cairn.micrometer;

import io.cairn.api.Group;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds a group's counters and gauges ({@link Group#stats()}) to a Micrometer registry: each entry
 * {@code layer.name} becomes a meter {@code cairn.layer.name} tagged {@code group} and {@code layer}; counters are
 * {@link FunctionCounter}s, entries named {@code layer.gauge.x} are {@link Gauge}s. Values are read live, from the
 * group's current stack. Entries a stack creates later (rare) are bound by binding again.
 *
 * <pre>{@code
 * new CairnMeters(group).bindTo(registry);   // e.g. a PrometheusMeterRegistry
 * }</pre>
 */
public final class CairnMeters implements MeterBinder {
    private final Group group;

    /** @param group the group whose counters to publish */
    public CairnMeters(final Group group) {
        this.group = group;
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        for (final String key : group.stats().keySet()) {
            final int dot = key.indexOf('.');
            final String layer = dot < 0 ? "stack" : key.substring(0, dot);
            final Tags tags = Tags.of("group", group.name(), "layer", layer);
            if (key.contains(".gauge.")) {
                Gauge.builder("cairn." + key, group, g -> value(g, key)).tags(tags)
                    .description("Cairn gauge " + key).register(registry);
            } else {
                FunctionCounter.builder("cairn." + key, group, g -> value(g, key)).tags(tags)
                    .description("Cairn counter " + key).register(registry);
            }
        }
    }

    private static double value(final Group g, final String key) {
        final Long v = g.stats().get(key);
        return v == null ? Double.NaN : v;
    }
}
