package io.cairn.toolkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md §9 checked on the bytecode: the toolkit is written only on the public API, so that it proves the API is
 * enough; if a block needs more, the API grows. It starts no threads of its own (the shared scheduler's timer is
 * the one exception), and every block package documents its protocol or guarantee.
 */
class ToolkitRulesTest {
    private static final JavaClasses TOOLKIT = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.cairn.toolkit");

    @Test
    void usesOnlyThePublicApi() {
        assertThat(TOOLKIT.size()).as("the toolkit's classes were imported").isGreaterThan(15);
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("io.cairn.api..", "io.cairn.toolkit..",
            "java..").because("blocks are built on the public API alone (DESIGN.md §9)").check(TOOLKIT);
    }

    @Test
    void startsNoThreadsButTheSharedTimer() {
        noClasses().that().doNotHaveFullyQualifiedName(Scheduler.Shared.class.getName())
            .should().callConstructor(Thread.class, Runnable.class, String.class)
            .orShould().callMethod(Thread.class, "start").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.util.concurrent.Executors")
            .because("blocks run on the stack's thread and the one shared timer").check(TOOLKIT);
    }

    @Test
    void everyBlockPackageDocumentsItsGuarantee() throws Exception {
        final Path root = Path.of("src/main/java/io/cairn/toolkit");
        try (Stream<Path> dirs = Files.walk(root)) {
            final List<Path> packages = dirs.filter(Files::isDirectory).toList();
            assertThat(packages).hasSizeGreaterThan(5);
            for (final Path p : packages) {
                final Path doc = p.resolve("package-info.java");
                assertThat(doc).as("package doc of " + p).exists();
                assertThat(Files.readString(doc)).as(doc.toString()).contains("Guarantee");
            }
        }
    }
}
