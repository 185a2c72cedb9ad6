package io.cairn.stack.config;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;
import io.cairn.stack.spi.TransportFactory;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The layers and transports on the class path, found with {@link ServiceLoader}. */
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
        for (final LayerFactory f : ServiceLoader.load(LayerFactory.class, loader)) {
            final LayerFactory previous = layers.put(f.name(), f);
            if (previous != null && previous.getClass() != f.getClass()) {
                throw new StackConfigException("two layers are registered as '" + f.name() + "': "
                    + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        for (final TransportFactory f : ServiceLoader.load(TransportFactory.class, loader)) {
            transports.put(f.name(), f);
        }
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

    private LayerFactory classFactory(final String className, final String source) {
        final Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (final ClassNotFoundException | LinkageError e) {
            throw new StackConfigException(source + ": layer class '" + className + "' not found on the class path. "
                + "Known layers: " + String.join(", ", layers.keySet()), e);
        }
        if (!Layer.class.isAssignableFrom(type)) {
            throw new StackConfigException(source + ": class '" + className + "' does not implement "
                + Layer.class.getName());
        }
        final Constructor<?> ctor;
        try {
            ctor = type.getConstructor();
        } catch (final NoSuchMethodException e) {
            throw new StackConfigException(source + ": layer class '" + className
                + "' needs a public no-argument constructor", e);
        }
        return new LayerFactory() {
            @Override
            public String name() {
                return className;
            }

            @Override
            public int canonicalPosition() {
                return Integer.MAX_VALUE;
            }

            @Override
            public Layer create() {
                try {
                    return (Layer) ctor.newInstance();
                } catch (final ReflectiveOperationException e) {
                    throw new StackConfigException("cannot create layer " + className + ": " + e, e);
                }
            }
        };
    }
}
