package io.cairn.stack.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Map;
import java.util.TreeSet;

/**
 * Checks a layer's overrides against its reference defaults: every key must exist in the defaults, and its value
 * must have the defaults' type (number, boolean, list, object, duration, size or string). Errors name the file,
 * the line, the full path, the expected type and the known keys.
 */
final class SettingsValidator {
    private SettingsValidator() {
    }

    /**
     * @param overrides  the stack file's section for this layer
     * @param defaults   the layer's reference section
     * @param pathPrefix full path of the section, for messages
     */
    static void check(final Config overrides, final Config defaults, final String pathPrefix) {
        for (final Map.Entry<String, ConfigValue> e : overrides.entrySet()) {
            final String key = e.getKey();
            final ConfigValue value = e.getValue();
            final String where = where(value) + pathPrefix + "." + key;
            if (!defaults.hasPath(key)) {
                throw new StackConfigException(where + ": unknown setting. Known settings of this layer: "
                    + new TreeSet<>(defaults.root().keySet()) + leafKeys(defaults));
            }
            final ConfigValue ref = defaults.getValue(key);
            final String expected = expectedType(defaults, key, ref);
            if (!matches(overrides, key, value, expected)) {
                throw new StackConfigException(where + ": expected " + expected + " (default: "
                    + ref.render() + "), got " + value.valueType().name().toLowerCase() + " " + value.render());
            }
        }
    }

    private static String leafKeys(final Config defaults) {
        final TreeSet<String> leaves = new TreeSet<>();
        for (final Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            if (e.getKey().indexOf('.') > 0) {
                leaves.add(e.getKey());
            }
        }
        return leaves.isEmpty() ? "" : " (nested: " + leaves + ")";
    }

    static String where(final ConfigValue value) {
        return io.cairn.stack.spi.Settings.where(value);
    }

    private static String expectedType(final Config defaults, final String key, final ConfigValue ref) {
        return switch (ref.valueType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean (true or false)";
            case LIST -> "a list";
            case OBJECT -> "an object";
            case NULL -> "any value";
            case STRING -> {
                if (isDuration(defaults, key)) {
                    yield "a duration such as 20ms, 1s or 500us";
                } else if (isSize(defaults, key)) {
                    yield "a size such as 64K, 4M or 1500";
                }
                yield "a string";
            }
        };
    }

    private static boolean matches(final Config c, final String key, final ConfigValue v, final String expected) {
        if (expected.startsWith("a number")) {
            return v.valueType() == ConfigValueType.NUMBER || parses(() -> c.getDouble(key));
        }
        if (expected.startsWith("a boolean")) {
            return v.valueType() == ConfigValueType.BOOLEAN || parses(() -> c.getBoolean(key));
        }
        if (expected.startsWith("a list")) {
            return v.valueType() == ConfigValueType.LIST;
        }
        if (expected.startsWith("an object")) {
            return v.valueType() == ConfigValueType.OBJECT;
        }
        if (expected.startsWith("a duration")) {
            return isDuration(c, key);
        }
        if (expected.startsWith("a size")) {
            return isSize(c, key);
        }
        return v.valueType() != ConfigValueType.OBJECT && v.valueType() != ConfigValueType.LIST;
    }

    private static boolean isDuration(final Config c, final String key) {
        final ConfigValue v = c.getValue(key);
        return v.valueType() == ConfigValueType.STRING
            && String.valueOf(v.unwrapped()).matches("\\s*[0-9.]+\\s*[a-zA-Z]+\\s*")
            && parses(() -> c.getDuration(key));
    }

    private static boolean isSize(final Config c, final String key) {
        final ConfigValue v = c.getValue(key);
        return (v.valueType() == ConfigValueType.NUMBER || v.valueType() == ConfigValueType.STRING)
            && !isDuration(c, key) && parses(() -> c.getBytes(key));
    }

    private static boolean parses(final Runnable r) {
        try {
            r.run();
            return true;
        } catch (final ConfigException e) {
            return false;
        }
    }

    /** @return an empty config, for layers without defaults */
    static Config empty() {
        return ConfigFactory.empty();
    }
}
