package io.cairn.stack.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed seed corpus of a Jazzer fuzz test, where Jazzer looks for it
 * ({@code src/test/resources/<package>/<Class>Inputs/<method>/}). A seed test checks that the files are what the
 * current encoders produce; {@code -Dcairn.fuzz.write-seeds=true} (re)writes them instead. The other modules use
 * the testkit's {@code io.cairn.testkit.fuzz.SeedCorpus}; stack-api's tests, below the testkit, keep this copy.
 */
final class SeedCorpus {
    private SeedCorpus() {
    }

    static void check(final Class<?> fuzzTest, final String method, final Map<String, byte[]> seeds)
        throws IOException {
        final Path dir = Path.of("src/test/resources", fuzzTest.getPackageName().replace('.', '/'),
            fuzzTest.getSimpleName() + "Inputs", method);
        final boolean write = Boolean.getBoolean("cairn.fuzz.write-seeds");
        assertThat(seeds).isNotEmpty();
        for (final Map.Entry<String, byte[]> e : seeds.entrySet()) {
            final Path file = dir.resolve("seed-" + e.getKey());
            if (write) {
                Files.createDirectories(dir);
                Files.write(file, e.getValue());
            } else {
                assertThat(file).as("%s (regenerate with -Dcairn.fuzz.write-seeds=true)", file)
                    .hasBinaryContent(e.getValue());
            }
        }
    }
}
