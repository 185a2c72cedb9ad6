package io.cairn.stack.spi;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link LayerSpec} says of a layer class, with the defaults filled in; read once per class.
 *
 * @param type     the layer class
 * @param name     name in stack files and settings
 * @param id       control-frame id
 * @param position canonical position
 * @param provides what it provides
 * @param requires what it requires
 * @param header   data header length
 */
public record LayerDescriptor(Class<?> type, String name, int id, int position, Set<Property> provides,
                              Set<Property> requires, int header) {
    private static final ClassValue<LayerDescriptor> CACHE = new ClassValue<>() {
        @Override
        protected LayerDescriptor computeValue(final Class<?> type) {
            return read(type);
        }
    };

    /**
     * @param type a layer class
     * @return its descriptor
     * @throws IllegalArgumentException naming the class and the attribute when its {@link LayerSpec} is invalid
     */
    public static LayerDescriptor of(final Class<?> type) {
        return CACHE.get(type);
    }

    private static LayerDescriptor read(final Class<?> type) {
        final LayerSpec spec = type.getAnnotation(LayerSpec.class);
        if (spec == null) {
            return new LayerDescriptor(type, shortName(type.getName()), derivedId(type), Integer.MAX_VALUE, Set.of(),
                Set.of(), 0);
        }
        final String name = spec.name().isEmpty() ? shortName(type.getName()) : spec.name();
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw invalid(type, "name = \"" + name + "\"", "a kebab-case name such as \"my-layer\"");
        }
        if (spec.id() < 0 || spec.id() > 65535) {
            throw invalid(type, "id = " + spec.id(), "1..65535, or 0 to derive one from the class name");
        }
        if (spec.header() < 0 || spec.header() > 65535) {
            throw invalid(type, "header = " + spec.header(), "a length in bytes, 0..65535");
        }
        return new LayerDescriptor(type, name, spec.id() == 0 ? derivedId(type) : spec.id(), spec.position(),
            properties(type, "provides", spec.provides()), properties(type, "requires", spec.requires()),
            spec.header());
    }

    private static Set<Property> properties(final Class<?> type, final String attribute, final String[] names) {
        final Set<Property> out = new LinkedHashSet<>();
        for (final String n : names) {
            try {
                out.add(Property.of(n));
            } catch (final IllegalArgumentException e) {
                throw invalid(type, attribute + " = " + Arrays.toString(names), "kebab-case property names ("
                    + e.getMessage() + ")");
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    private static IllegalArgumentException invalid(final Class<?> type, final String what, final String fix) {
        return new IllegalArgumentException("@LayerSpec on " + type.getName() + ": " + what + " is invalid; use "
            + fix);
    }

    private static int derivedId(final Class<?> type) {
        return 1024 + Math.floorMod(type.getName().hashCode(), 65535 - 1024);
    }

    /**
     * @param className a layer's class name
     * @return its short name: {@code com.example.MyHTTPCacheLayer} is {@code my-http-cache}
     */
    public static String shortName(final String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        if (simple.endsWith("Layer") && simple.length() > "Layer".length()) {
            simple = simple.substring(0, simple.length() - "Layer".length());
        }
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2")
            .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    }
}
