package io.cairn.stack.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.cairn.stack.config.StackConfigException;

import java.util.concurrent.TimeUnit;

/**
 * A layer's settings, each read with the range it allows. A value out of range, or a broken relation between two
 * settings, fails with one message naming the file and line it came from, the full key, the value and what is
 * allowed, e.g. {@code my.conf:7: cairn.stack.layer.fifo.max-hold-back = 0: must be from 1 to 16777216}. The
 * assembler hands every layer its settings through {@link Layer#configure} before anything runs, so
 * {@code cairn stacks explain} and {@code join} reject a bad file at once.
 */
public final class Settings {
    /** One microsecond in nanoseconds (for ranges). */
    public static final long MICROSECOND = 1_000L;
    /** One millisecond in nanoseconds. */
    public static final long MILLISECOND = 1_000_000L;
    /** One second in nanoseconds. */
    public static final long SECOND = 1_000_000_000L;
    /** One hour in nanoseconds. */
    public static final long HOUR = 3_600L * SECOND;

    private final Config config;
    private final String path;
    private final java.util.Map<Property, Settings> below;
    /** Keys read so far (shared with {@link #withDefaults} copies): what the layer knows, for unknown-key errors. */
    private final java.util.Set<String> read;

    /**
     * @param path   full path of the layer's section, for messages ({@code cairn.stack.layer.fifo})
     * @param config the layer's settings, defaults included
     */
    public Settings(final String path, final Config config) {
        this(path, config, java.util.Map.of());
    }

    /**
     * @param path   full path of the layer's section
     * @param config the layer's settings, defaults included
     * @param below  for each property provided below this layer, the settings of the nearest layer providing it
     */
    public Settings(final String path, final Config config, final java.util.Map<Property, Settings> below) {
        this(path, config, java.util.Map.copyOf(below), new java.util.TreeSet<>());
    }

    private Settings(final String path, final Config config, final java.util.Map<Property, Settings> below,
                     final java.util.Set<String> read) {
        this.path = path;
        this.config = config;
        this.below = below;
        this.read = read;
    }

    /**
     * Defaults written beside the code, for a layer in one file (shipped layers keep theirs in a {@code .conf}
     * included by {@code reference.conf}): {@code s = s.withDefaults("max-checked-bytes = 64K")}.
     *
     * @param hocon the defaults, in HOCON
     * @return these settings over those defaults
     */
    public Settings withDefaults(final String hocon) {
        final Config defaults = com.typesafe.config.ConfigFactory.parseString(hocon,
            com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("defaults of " + path));
        return new Settings(path, config.withFallback(defaults), below, read);
    }

    /** @return the keys read so far, in order of name */
    public java.util.Set<String> keysRead() {
        return java.util.Collections.unmodifiableSet(read);
    }

    /**
     * For rules across layers without naming them (fifo's hold-back against the window of whatever provides
     * {@code reliable}): the settings of the nearest layer below that provides {@code p}. Known at assembly only.
     *
     * @param p a property
     * @return its provider's settings, or null (the transport provides it, or not known here)
     */
    public Settings below(final Property p) {
        return below.get(p);
    }

    /**
     * @param key a setting of this layer
     * @return its full path, for messages
     */
    public String key(final String key) {
        return path + "." + key;
    }

    /** @return the raw settings, for what the typed readers do not cover */
    public Config config() {
        return config;
    }

    /**
     * @param key setting
     * @param min smallest allowed value
     * @param max largest allowed value
     * @return the value
     */
    public int intIn(final String key, final int min, final int max) {
        final Number n = read(key, () -> config.getNumber(key), "a whole number");
        if (n.doubleValue() != Math.rint(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
            throw fail(key, "expected a whole number");
        }
        return (int) check(key, n.longValue(), min, max, Long::toString);
    }

    /**
     * @param key setting (a size: {@code 64K}, {@code 4M}, {@code 1500})
     * @param min smallest allowed number of bytes
     * @param max largest allowed number of bytes
     * @return bytes
     */
    public long bytesIn(final String key, final long min, final long max) {
        final long v = read(key, () -> config.getBytes(key), "a size such as 64K, 4M or 1500");
        return check(key, v, min, max, Settings::size);
    }

    /** @return {@code store-chunk-size}, the chunk of a layer's message store: 4K to 1G */
    public int storeChunkSize() {
        return (int) bytesIn("store-chunk-size", 4096, 1 << 30);
    }

    /**
     * @param key   setting (a duration: {@code 20ms}, {@code 1s})
     * @param minNs shortest allowed, in nanoseconds
     * @param maxNs longest allowed, in nanoseconds
     * @return nanoseconds
     */
    public long durationNs(final String key, final long minNs, final long maxNs) {
        final long v = read(key, () -> config.getDuration(key, TimeUnit.NANOSECONDS),
            "a duration such as 500us, 20ms or 1s");
        return check(key, v, minNs, maxNs, Settings::duration);
    }

    /**
     * @param key setting
     * @param min smallest allowed value
     * @param max largest allowed value
     * @return the value
     */
    public double doubleIn(final String key, final double min, final double max) {
        final double v = read(key, () -> config.getDouble(key), "a number");
        if (!(v >= min && v <= max)) {
            throw fail(key, "must be from " + min + " to " + max);
        }
        return v;
    }

    /**
     * @param key setting (a string; may be empty)
     * @return the value
     */
    public String string(final String key) {
        return read(key, () -> config.getString(key), "a string");
    }

    /**
     * @param key setting ({@code true}/{@code false}, {@code on}/{@code off}, {@code yes}/{@code no})
     * @return the value
     */
    public boolean flag(final String key) {
        return read(key, () -> config.getBoolean(key), "true or false");
    }

    /**
     * Fails unless a relation between settings holds (one condition per call, so each message names one).
     *
     * @param holds whether it holds
     * @param key   the setting the message is about
     * @param what  what must hold, e.g. {@code "must be at least retry-interval (100ms)"}
     */
    public void require(final boolean holds, final String key, final String what) {
        if (!holds) {
            throw fail(key, what);
        }
    }

    /** @return nanoseconds as a readable duration ({@code 1500000} as {@code 1.5ms}, an hour as {@code 1h}) */
    public static String duration(final long ns) {
        if (ns != 0 && ns % HOUR == 0) {
            return ns / HOUR + "h";
        }
        if (ns != 0 && ns % (60 * SECOND) == 0) {
            return ns / (60 * SECOND) + "m";
        }
        if (ns >= SECOND) {
            return trim((double) ns / SECOND) + "s";
        }
        if (ns >= MILLISECOND) {
            return trim((double) ns / MILLISECOND) + "ms";
        }
        return ns >= MICROSECOND ? trim((double) ns / MICROSECOND) + "us" : ns + "ns";
    }

    /** @return bytes as a readable size ({@code 262144} as {@code 256K}) */
    public static String size(final long b) {
        final String[] units = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            final int shift = 40 - 10 * i;
            if (b != 0 && b % (1L << shift) == 0) {
                return (b >> shift) + units[i];
            }
        }
        return Long.toString(b);
    }

    private static String trim(final double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private interface Reader<T> {
        T get();
    }

    private <T> T read(final String key, final Reader<T> reader, final String expected) {
        read.add(key);
        if (!config.hasPath(key)) {
            throw new StackConfigException(key(key) + ": missing (a layer's defaults belong in its"
                + " reference.conf)");
        }
        try {
            return reader.get();
        } catch (final ConfigException e) {
            throw fail(key, "expected " + expected);
        }
    }

    private long check(final String key, final long v, final long min, final long max,
                       final java.util.function.LongFunction<String> show) {
        if (v < min || v > max) {
            throw fail(key, "must be from " + show.apply(min) + " to " + show.apply(max));
        }
        return v;
    }

    private StackConfigException fail(final String key, final String what) {
        final ConfigValue value = config.hasPath(key) ? config.getValue(key) : null;
        final String where = value == null ? "" : where(value);
        return new StackConfigException(where + key(key) + " = "
            + (value == null ? "(none)" : show(value)) + ": " + what);
    }

    private static String show(final ConfigValue v) {
        return v.valueType() == com.typesafe.config.ConfigValueType.OBJECT
            || v.valueType() == com.typesafe.config.ConfigValueType.LIST
            ? v.render(com.typesafe.config.ConfigRenderOptions.concise()) : String.valueOf(v.unwrapped());
    }

    /**
     * @param value a setting's value
     * @return where it was written, as {@code file:line: } (a prefix for messages)
     */
    public static String where(final ConfigValue value) {
        final var o = value.origin();
        if (o.filename() == null && o.resource() == null) {
            return o.description() + ": ";      // e.g. "String: 1": the line is in the description already
        }
        return (o.filename() != null ? o.filename() : o.resource()) + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "")
            + ": ";
    }
}
