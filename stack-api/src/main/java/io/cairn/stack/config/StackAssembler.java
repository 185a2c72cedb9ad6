package io.cairn.stack.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.cairn.api.MemberId;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;
import io.cairn.stack.spi.Property;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.spi.TransportFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link StackSpec} from a stack file. A stack file has one section:
 *
 * <pre>
 * cairn.stack {
 *   transport = inproc                       # required: a registered transport
 *   layers = [nak-reliability, fifo]         # bottom first; or:
 *   properties = [fifo]                      # the assembler picks the layers
 *   members = [a, b]                         # static members, for stacks without a membership layer
 *   layer.fifo { max-hold-back = 1000 }      # overrides of cairn.layer.fifo in reference.conf
 * }
 * </pre>
 *
 * Every error is a {@link StackConfigException} naming the file, the key and the fix.
 */
public final class StackAssembler {
    /** Classpath folder of shipped stacks. */
    public static final String STACKS_FOLDER = "stacks/";
    /** Resource listing shipped stack names, one per line, in any jar. */
    public static final String STACKS_INDEX = "META-INF/cairn/stacks.list";
    private static final Set<String> KEYS = Set.of("transport", "layers", "properties", "members", "layer");

    private final LayerRegistry registry;
    private final Config reference;
    private final ClassLoader loader;

    /** An assembler over the class path's layers and reference.conf files. */
    public StackAssembler() {
        this(LayerRegistry.load(), ConfigFactory.defaultReference());
    }

    /**
     * @param registry  layers and transports
     * @param reference merged reference.conf (layer defaults under {@code cairn.layer.<name>})
     */
    public StackAssembler(final LayerRegistry registry, final Config reference) {
        this.registry = registry;
        this.reference = reference;
        final ClassLoader cl = Thread.currentThread().getContextClassLoader();
        this.loader = cl != null ? cl : StackAssembler.class.getClassLoader();
    }

    /** @return the registry */
    public LayerRegistry registry() {
        return registry;
    }

    /** @return names of the stacks shipped on the class path */
    public List<String> shippedStacks() {
        final TreeSet<String> names = new TreeSet<>();
        try {
            final Enumeration<URL> lists = loader.getResources(STACKS_INDEX);
            while (lists.hasMoreElements()) {
                try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                    r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
                }
            }
        } catch (final IOException e) {
            throw new StackConfigException("cannot read " + STACKS_INDEX + ": " + e, e);
        }
        return List.copyOf(names);
    }

    /**
     * Loads a stack by shipped name ({@code total}) or by file path ({@code ./my-stack.conf}).
     *
     * @param ref       name or path
     * @param overrides applied over the file (for example {@code cairn.stack.members}); may be empty
     * @return the validated spec
     */
    public StackSpec load(final String ref, final Config overrides) {
        final Config file;
        final String source;
        final File f = new File(ref);
        try {
            if (f.isFile()) {
                source = f.getPath();
                file = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
            } else if (ref.endsWith(".conf") || ref.contains(File.separator)) {
                throw new StackConfigException("stack file not found: " + ref);
            } else {
                source = STACKS_FOLDER + ref + ".conf";
                if (loader.getResource(source) == null) {
                    throw new StackConfigException("unknown stack '" + ref + "'. Shipped stacks: " + shippedStacks()
                        + "; or give the path of a .conf file");
                }
                file = ConfigFactory.parseResources(loader, source,
                    ConfigParseOptions.defaults().setAllowMissing(false));
            }
            return assemble(overrides.withFallback(file).resolve(), source);
        } catch (final ConfigException e) {
            throw new StackConfigException(ref + ": " + e.getMessage(), e);
        }
    }

    /**
     * Validates a parsed stack config.
     *
     * @param config the config holding {@code cairn.stack}
     * @param source file name, for messages
     * @return the spec
     */
    public StackSpec assemble(final Config config, final String source) {
        if (!config.hasPath("cairn.stack")) {
            throw new StackConfigException(source + ": no 'cairn.stack' section. A stack file looks like: "
                + "cairn.stack { transport = inproc, layers = [nak-reliability, fifo] }");
        }
        final Config stack = config.getConfig("cairn.stack");
        for (final String key : stack.root().keySet()) {
            if (!KEYS.contains(key)) {
                throw new StackConfigException(SettingsValidator.where(stack.root().get(key)) + "cairn.stack." + key
                    + ": unknown key. Known keys: " + new TreeSet<>(KEYS));
            }
        }
        final String transportName = requireString(stack, "transport", source,
            "name the transport, e.g. transport = inproc");
        final TransportFactory transport = registry.transports().get(transportName);
        if (transport == null) {
            throw new StackConfigException(where(stack, "transport", source) + "cairn.stack.transport: unknown "
                + "transport '" + transportName + "'. Known transports: " + registry.transports().keySet());
        }
        final boolean hasLayers = stack.hasPath("layers");
        final boolean hasProps = stack.hasPath("properties");
        if (hasLayers == hasProps) {
            throw new StackConfigException(source + ": cairn.stack needs exactly one of 'layers' (the layer list, "
                + "bottom first) or 'properties' (what the stack must provide)");
        }
        final List<String> names = hasLayers
            ? stringList(stack, "layers", source)
            : synthesize(propertyList(stack, source), transport.provides(), source);
        final List<StackSpec.LayerPlan> plans = new ArrayList<>();
        final Set<Property> provided = new LinkedHashSet<>(transport.provides());
        final Set<Integer> ids = new HashSet<>();
        final Map<Property, Settings> providers = new HashMap<>();
        final Config overrides = stack.hasPath("layer") ? stack.getConfig("layer") : ConfigFactory.empty();
        final Map<String, String> keys = settingsKeys(names, source);
        for (final String key : overrides.root().keySet()) {
            if (!names.contains(key) && !keys.containsValue(key)) {
                throw new StackConfigException(where(stack, "layer", source) + "cairn.stack.layer." + key
                    + ": settings for a layer that is not in this stack. Its layers: " + names);
            }
        }
        for (final String name : names) {
            final LayerFactory factory = registry.resolve(name, source + ": cairn.stack.layers");
            final Layer proto = factory.create();
            for (final Property r : proto.requires()) {
                if (!provided.contains(r)) {
                    throw new StackConfigException(source + ": layer '" + name + "' requires property '" + r
                        + "', which nothing below it provides (transport '" + transportName + "' provides "
                        + transport.provides() + "). Fix: put a layer that provides it below '" + name + "'"
                        + providerHint(r) + ".");
                }
            }
            if (!ids.add(proto.layerId())) {
                throw new StackConfigException(source + ": layer '" + name + "' has the same layer id ("
                    + proto.layerId() + ") as another layer of the stack; give it a distinct layerId()");
            }
            provided.addAll(proto.provides());
            final String key = keys.get(name);
            final Config mine = overridesOf(name, key, overrides, stack, source);
            final Config settings = settingsFor(name, key, mine);
            final Settings checked = new Settings("cairn.stack.layer." + key, settings, providers);
            proto.configure(checked);
            if (!reference.hasPath("cairn.layer." + quoted(name))) {
                // No reference.conf section to check the overrides against: check them against what it read.
                unknownKeys(mine, checked);
            }
            for (final Property p : proto.provides()) {
                providers.put(p, checked);
            }
            plans.add(new StackSpec.LayerPlan(name, key, factory, settings, proto.provides(), proto.requires()));
        }
        final List<MemberId> members = new ArrayList<>();
        if (stack.hasPath("members")) {
            for (final String m : stringList(stack, "members", source)) {
                try {
                    members.add(MemberId.parse(m));
                } catch (final IllegalArgumentException e) {
                    throw new StackConfigException(where(stack, "members", source) + "cairn.stack.members: "
                        + e.getMessage(), e);
                }
            }
        }
        return new StackSpec(source, transportName, plans, members, provided, hasProps);
    }

    private String providerHint(final Property p) {
        final List<String> providers = new ArrayList<>();
        for (final LayerFactory f : registry.canonicalOrder()) {
            if (f.create().provides().contains(p)) {
                providers.add("'" + f.name() + "'");
            }
        }
        return providers.isEmpty() ? " (no registered layer provides it)" : ", e.g. " + String.join(" or ", providers);
    }

    /** The settings of one layer: its overrides over its reference defaults (checked against them). */
    private Config settingsFor(final String name, final String key, final Config mine) {
        final String refPath = "cairn.layer." + quoted(name);
        final Config defaults = reference.hasPath(refPath) ? reference.getConfig(refPath) : ConfigFactory.empty();
        if (mine.isEmpty()) {
            return defaults;
        }
        if (!defaults.isEmpty()) {
            SettingsValidator.check(mine, defaults, "cairn.stack.layer." + key);
        }
        return mine.withFallback(defaults);
    }

    /** A layer named by class takes its overrides under its short name or, as before, its quoted class name. */
    private static Config overridesOf(final String name, final String key, final Config overrides, final Config stack,
                                      final String source) {
        final boolean byKey = overrides.hasPath(quoted(key));
        final boolean byName = !key.equals(name) && overrides.hasPath(quoted(name));
        if (byKey && byName) {
            throw new StackConfigException(where(stack, "layer", source) + "cairn.stack.layer." + key + " and "
                + "cairn.stack.layer." + quoted(name) + ": settings of one layer given twice; keep one");
        }
        return byKey ? overrides.getConfig(quoted(key)) : byName ? overrides.getConfig(quoted(name))
            : ConfigFactory.empty();
    }

    /**
     * A layer without reference defaults (one file, defaults in {@code configure}) is checked by what it read: an
     * override it never read is a typo, reported with the keys it does read.
     */
    private static void unknownKeys(final Config mine, final Settings checked) {
        if (checked.keysRead().isEmpty()) {
            return;
        }
        for (final Map.Entry<String, com.typesafe.config.ConfigValue> e : mine.entrySet()) {
            if (!checked.keysRead().contains(e.getKey())) {
                throw new StackConfigException(SettingsValidator.where(e.getValue()) + checked.key(e.getKey())
                    + ": unknown setting. This layer reads: " + checked.keysRead());
            }
        }
    }

    /**
     * Where each layer's settings go under {@code cairn.stack.layer}: its name; for a layer named by class, its
     * short name ({@code com.example.ChecksumLayer}: {@code checksum}) unless another layer of the stack has it.
     */
    private Map<String, String> settingsKeys(final List<String> names, final String source) {
        final Map<String, String> shortNames = new HashMap<>();
        for (final String name : names) {
            shortNames.put(name, registry.shortName(name, source + ": cairn.stack.layers"));
        }
        final Map<String, String> keys = new HashMap<>();
        for (final String name : names) {
            final String key = shortNames.get(name);
            final boolean taken = names.stream().anyMatch(o -> !o.equals(name) && shortNames.get(o).equals(key));
            keys.put(name, taken ? name : key);
        }
        return keys;
    }

    private static String quoted(final String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name + "\"";
    }

    /**
     * Chooses layers for the required properties (Ensemble's {@code Property.choose}): for every property not yet
     * provided, the first registered layer in canonical order that provides it, then what that layer requires,
     * until closed; the result is sorted in canonical order.
     */
    private List<String> synthesize(final List<Property> wanted, final Set<Property> fromTransport,
                                    final String source) {
        final List<LayerFactory> order = registry.canonicalOrder();
        final Set<LayerFactory> chosen = new LinkedHashSet<>();
        final List<Property> todo = new ArrayList<>(wanted);
        final Set<Property> covered = new HashSet<>(fromTransport);
        while (!todo.isEmpty()) {
            final Property p = todo.remove(0);
            if (covered.contains(p)) {
                continue;
            }
            LayerFactory pick = null;
            for (final LayerFactory f : order) {
                if (f.create().provides().contains(p)) {
                    pick = f;
                    break;
                }
            }
            if (pick == null) {
                throw new StackConfigException(source + ": cairn.stack.properties: no registered layer provides '"
                    + p + "'. Registered layers: " + registry.layers().keySet());
            }
            chosen.add(pick);
            final Layer proto = pick.create();
            covered.addAll(proto.provides());
            todo.addAll(proto.requires());
        }
        final List<String> names = new ArrayList<>();
        for (final LayerFactory f : order) {
            if (chosen.contains(f)) {
                names.add(f.name());
            }
        }
        return names;
    }

    private static List<Property> propertyList(final Config stack, final String source) {
        final List<Property> out = new ArrayList<>();
        for (final String s : stringList(stack, "properties", source)) {
            try {
                out.add(Property.of(s));
            } catch (final IllegalArgumentException e) {
                throw new StackConfigException(where(stack, "properties", source) + "cairn.stack.properties: "
                    + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String requireString(final Config c, final String key, final String source, final String fix) {
        if (!c.hasPath(key)) {
            throw new StackConfigException(source + ": cairn.stack." + key + " is missing: " + fix);
        }
        final ConfigValue v = c.getValue(key);
        if (v.valueType() != ConfigValueType.STRING) {
            throw new StackConfigException(where(c, key, source) + "cairn.stack." + key + ": expected a string, got "
                + v.valueType().name().toLowerCase() + " " + v.render());
        }
        return c.getString(key);
    }

    private static List<String> stringList(final Config c, final String key, final String source) {
        final ConfigValue v = c.getValue(key);
        if (v.valueType() != ConfigValueType.LIST) {
            throw new StackConfigException(where(c, key, source) + "cairn.stack." + key
                + ": expected a list such as [a, b], got " + v.valueType().name().toLowerCase() + " " + v.render());
        }
        try {
            return c.getStringList(key);
        } catch (final ConfigException.WrongType e) {
            throw new StackConfigException(where(c, key, source) + "cairn.stack." + key
                + ": expected a list of names, got " + v.render(), e);
        }
    }

    private static String where(final Config c, final String key, final String source) {
        final String w = SettingsValidator.where(c.getValue(key));
        return w.startsWith("merge of") ? source + ": " : w;
    }

    /** @return the layer names known to this assembler, for messages */
    public Map<String, LayerFactory> knownLayers() {
        return registry.layers();
    }
}
