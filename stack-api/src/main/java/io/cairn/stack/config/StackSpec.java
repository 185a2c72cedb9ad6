package io.cairn.stack.config;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;
import io.cairn.stack.spi.Property;

import java.util.List;
import java.util.Set;

/**
 * A validated stack: transport, layers bottom first with their merged settings, and what the stack provides.
 *
 * @param source      where the stack came from (file or resource), for messages
 * @param transport   transport name
 * @param layers      layers, bottom first
 * @param members     the static member list (used when no layer provides membership)
 * @param provides    everything the whole stack provides (transport and layers)
 * @param synthesized whether the layer list was synthesized from {@code properties}
 */
public record StackSpec(
    String source, String transport, List<LayerPlan> layers, List<MemberId> members, Set<Property> provides,
    boolean synthesized) {

    /** Copies the collections. */
    public StackSpec {
        layers = List.copyOf(layers);
        members = List.copyOf(members);
        provides = Set.copyOf(provides);
    }

    /** @return whether a layer provides views (otherwise the stack runs with the static member list) */
    public boolean hasMembership() {
        return provides.contains(Property.MEMBERSHIP);
    }

    /** @return the layer names, bottom first */
    public List<String> layerNames() {
        return layers.stream().map(LayerPlan::name).toList();
    }

    /**
     * One layer of a stack.
     *
     * @param name      name as written (or synthesized)
     * @param key       what its settings, counters, logs and dumps go by: the name, or for a layer named by class
     *                  its short name (unless another layer of the stack has that short name)
     * @param factory   creates instances
     * @param settings  merged settings
     * @param provides  what it provides
     * @param requires  what it requires
     */
    public record LayerPlan(String name, String key, LayerFactory factory, Config settings, Set<Property> provides,
                            Set<Property> requires) {
        /** @return a fresh layer instance */
        public Layer newLayer() {
            return factory.create();
        }
    }
}
