package io.cairn.stack.config;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerDescriptor;
import io.cairn.stack.spi.LayerFactory;
import io.cairn.stack.spi.TransportFactory;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The layers and transports on the class path, found with {@link ServiceLoader}: layer classes listed under
 * {@link Layer} (named by their {@link io.cairn.stack.spi.LayerSpec}, read without creating them), and
 * {@link LayerFactory} implementations.
 */
public final class LayerRegistry {
    private final Map<String, LayerFactory> layers = new TreeMap<>();
    private final Map<String, TransportFactory> transports = new TreeMap<>();
    private final ClassLoader loader;

    /**
     * Loads every registered factory.
     *
     * @param loader class loader to search
     */
    public LayerRegistry(final ClassLoader loader) {
        this.loader = loader;
        ServiceLoader.load(Layer.class, loader).stream().forEach(p -> {
            final LayerDescriptor d = LayerDescriptor.of(p.type());
            register(new ClassFactory(d.name(), d.position(), constructor(p.type(), p.type().getName(), "")));
        });
        for (final LayerFactory f : ServiceLoader.load(LayerFactory.class, loader)) {
            register(f);
        }
        for (final TransportFactory f : ServiceLoader.load(TransportFactory.class, loader)) {
            transports.put(f.name(), f);
        }
    }

    private void register(final LayerFactory f) {
        final LayerFactory previous = layers.put(f.name(), f);
        // The same registration seen twice (two copies of a jar) is no conflict.
        if (previous != null && !previous.equals(f)
            && (f instanceof ClassFactory || previous.getClass() != f.getClass())) {
            throw new StackConfigException("two layers are registered as '" + f.name() + "': " + describe(previous)
                + " and " + describe(f));
        }
    }

    private static String describe(final LayerFactory f) {
        return f instanceof ClassFactory c ? c.ctor.getDeclaringClass().getName() : f.getClass().getName();
    }

    /** @return a registry over the context class loader (or this class's loader) */
    public static LayerRegistry load() {
        final ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return new LayerRegistry(cl != null ? cl : LayerRegistry.class.getClassLoader());
    }

    /** @return registered layer factories by name */
    public Map<String, LayerFactory> layers() {
        return layers;
    }

    /** @return registered transport factories by name */
    public Map<String, TransportFactory> transports() {
        return transports;
    }

    /** @return registered layer factories in canonical order (bottom first) */
    public List<LayerFactory> canonicalOrder() {
        final List<LayerFactory> out = new ArrayList<>(layers.values());
        out.sort(Comparator.comparingInt(LayerFactory::canonicalPosition).thenComparing(LayerFactory::name));
        return out;
    }

    /**
     * Resolves a layer named in a stack file: a registered name, or a fully-qualified class name.
     *
     * @param name   the name
     * @param source where the name was written, for the error
     * @return a factory for it
     */
    public LayerFactory resolve(final String name, final String source) {
        final LayerFactory f = layers.get(name);
        if (f != null) {
            return f;
        }
        if (name.indexOf('.') > 0) {
            return classFactory(name, source);
        }
        throw new StackConfigException(source + ": unknown layer '" + name + "'. Known layers: "
            + String.join(", ", layers.keySet())
            + ". A custom layer is named by its fully-qualified class name (public no-argument constructor).");
    }

    /**
     * @param name   a layer's name in a stack file
     * @param source where it was written, for the error
     * @return the name its settings, counters and logs go by: for a layer named by class its
     *     {@link io.cairn.stack.spi.LayerSpec} name, or one from the class name ({@code MyHTTPCacheLayer}:
     *     {@code my-http-cache}); else the name itself
     */
    public String shortName(final String name, final String source) {
        return resolve(name, source) instanceof ClassFactory c && name.indexOf('.') > 0
            ? LayerDescriptor.of(c.ctor.getDeclaringClass()).name() : name;
    }

    private LayerFactory classFactory(final String className, final String source) {
        final Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (final ClassNotFoundException | LinkageError e) {
            throw new StackConfigException(source + ": layer class '" + className + "' not found on the class path. "
                + "Known layers: " + String.join(", ", layers.keySet()), e);
        }
        return new ClassFactory(className, Integer.MAX_VALUE, constructor(type, className, source + ": "));
    }

    private static Constructor<?> constructor(final Class<?> type, final String className, final String source) {
        if (!Layer.class.isAssignableFrom(type)) {
            throw new StackConfigException(source + "class '" + className + "' does not implement "
                + Layer.class.getName());
        }
        try {
            LayerDescriptor.of(type);
            return type.getConstructor();
        } catch (final IllegalArgumentException e) {
            throw new StackConfigException(source + e.getMessage(), e);
        } catch (final NoSuchMethodException e) {
            throw new StackConfigException(source + "layer class '" + className
                + "' needs a public no-argument constructor", e);
        }
    }

    /** Creates a layer class by its public no-argument constructor. */
    private record ClassFactory(String name, int canonicalPosition, Constructor<?> ctor) implements LayerFactory {
        @Override
        public Layer create() {
            try {
                return (Layer) ctor.newInstance();
            } catch (final ReflectiveOperationException e) {
                throw new StackConfigException("cannot create layer " + ctor.getDeclaringClass().getName() + ": "
                    + e, e);
            }
        }
    }
}
