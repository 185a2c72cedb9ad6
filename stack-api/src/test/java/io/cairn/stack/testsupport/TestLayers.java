package io.cairn.stack.testsupport;

import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerFactory;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Property;

import java.util.Set;

/** Registered test layers with requirements, for the assembler's tests. They pass everything through. */
public final class TestLayers {
    private TestLayers() {
    }

    /** Provides reliable. */
    public static final class Reliable implements LayerFactory {
        @Override
        public String name() {
            return "t-reliable";
        }

        @Override
        public int canonicalPosition() {
            return 100;
        }

        @Override
        public Layer create() {
            return new Layer() {
                @Override
                public Set<Property> provides() {
                    return Set.of(Property.RELIABLE);
                }

                @Override
                public int layerId() {
                    return 901;
                }
            };
        }
    }

    /** Requires reliable, provides fifo. */
    public static final class Fifo implements LayerFactory {
        @Override
        public String name() {
            return "t-fifo";
        }

        @Override
        public int canonicalPosition() {
            return 200;
        }

        @Override
        public Layer create() {
            return new Layer() {
                @Override
                public Set<Property> provides() {
                    return Set.of(Property.FIFO);
                }

                @Override
                public Set<Property> requires() {
                    return Set.of(Property.RELIABLE);
                }

                @Override
                public int layerId() {
                    return 902;
                }
            };
        }
    }

    /** Requires fifo, provides total. */
    public static final class Total implements LayerFactory {
        @Override
        public String name() {
            return "t-total";
        }

        @Override
        public int canonicalPosition() {
            return 300;
        }

        @Override
        public Layer create() {
            return new Layer() {
                @Override
                public Set<Property> provides() {
                    return Set.of(Property.TOTAL);
                }

                @Override
                public Set<Property> requires() {
                    return Set.of(Property.FIFO);
                }

                @Override
                public int layerId() {
                    return 903;
                }
            };
        }
    }

    /** Registered by class ({@code META-INF/services/io.cairn.stack.spi.Layer}): every fact from its annotation. */
    @LayerSpec(name = "t-described", id = 904, position = 150, provides = {"t-checked", "stability"},
        requires = "reliable", header = 6)
    public static final class Described implements Layer {
        /** Counts instances: the registry reads the annotation without creating one. */
        public static int created;

        /** A new instance. */
        public Described() {
            created++;
        }
    }

    /** An invalid annotation, named by class in a stack file. */
    @LayerSpec(name = "Not Kebab")
    public static final class BadlyDescribed implements Layer {
    }

    /** No annotation: name and id come from the class name. */
    public static final class MyHTTPCacheLayer implements Layer {
    }
}
