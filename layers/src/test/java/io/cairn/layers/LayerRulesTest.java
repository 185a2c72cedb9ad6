package io.cairn.layers;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of STYLE.md §2 and §4, checked on the layers' bytecode rather than trusted: each layer is its own
 * package and talks to others only through events; layers run in the ordered region, so they start no threads,
 * read no clock (time comes from their context, which the simulator controls) and use no locks, atomics or
 * concurrent collections.
 */
class LayerRulesTest {
    private static JavaClasses layers;

    @BeforeAll
    static void importLayers() {
        layers = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cairn.layers");
        assertThat(layers.stream().filter(c -> c.isAssignableTo(io.cairn.stack.spi.Layer.class)).count())
            .as("the shipped layers were imported").isGreaterThanOrEqualTo(15);
    }

    @Test
    void layersDoNotDependOnEachOther() {
        slices().matching("io.cairn.layers.(*)..").should().notDependOnEachOther()
            .because("layers talk only through events, so any composition of them is a valid stack").check(layers);
    }

    @Test
    void layersStartNoThreads() {
        noClasses().should().dependOnClassesThat(threads())
            .because("everything in a stack runs on its agent's thread (the ordered region)").check(layers);
    }

    @Test
    void layersReadNoClock() {
        final ArchRule rule = noClasses().should().callMethod(System.class, "nanoTime")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().dependOnClassesThat().resideInAPackage("java.time..")
            .because("time is the context's nowNs(): read once per duty cycle, virtual in the simulator");
        rule.check(layers);
    }

    @Test
    void layersUseNoLocksAtomicsOrConcurrentCollections() {
        noClasses().should().dependOnClassesThat(concurrency())
            .because("the ordered region needs none, and they hide a layer that is shared between threads")
            .check(layers);
        fields().should().notHaveModifier(JavaModifier.VOLATILE).check(layers);
        methods().should().notHaveModifier(JavaModifier.SYNCHRONIZED).check(layers);
    }

    /** Bytecode rules do not see {@code synchronized} blocks (monitorenter); the sources do. */
    @Test
    void layerSourcesHaveNoSynchronizedBlocks() throws IOException {
        final Pattern block = Pattern.compile("\\bsynchronized\\s*\\(");
        final List<Path> offending;
        final Path sources = Path.of("src/main/java/io/cairn/layers");
        try (Stream<Path> files = Files.walk(sources)) {
            offending = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return block.matcher(Files.readString(f)).find();
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(Files.isDirectory(sources)).isTrue();
        assertThat(offending).as("layer sources with synchronized blocks").isEmpty();
    }

    private static DescribedPredicate<JavaClass> threads() {
        return DescribedPredicate.describe("are threads, executors or timers", c -> c.isAssignableTo(Thread.class)
            || c.isAssignableTo(java.util.concurrent.Executor.class)
            || c.isAssignableTo(java.util.concurrent.ThreadFactory.class)
            || c.isEquivalentTo(java.util.concurrent.Executors.class)
            || c.isAssignableTo(java.util.concurrent.CompletionStage.class)
            || c.isAssignableTo(java.util.Timer.class));
    }

    private static DescribedPredicate<JavaClass> concurrency() {
        return DescribedPredicate.describe("are locks, atomics or concurrent collections",
            c -> c.getPackageName().startsWith("java.util.concurrent")
                && !c.isEquivalentTo(java.util.concurrent.TimeUnit.class));
    }
}
