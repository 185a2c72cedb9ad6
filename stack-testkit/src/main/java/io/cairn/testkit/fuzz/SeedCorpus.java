package io.cairn.testkit.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The committed seed corpus of a Jazzer fuzz test, where Jazzer looks for it
 * ({@code src/test/resources/<package>/<Class>Inputs/<method>/}, relative to the module). A seed test checks that
 * the files are what the current encoders produce; {@code -Dcairn.fuzz.write-seeds=true} (re)writes them instead.
 * (stack-api, below the testkit, keeps a copy of its own.)
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    /**
     * @param fuzzTest the fuzz test class
     * @param method   its fuzz method
     * @param seeds    seed name (the file is {@code seed-<name>}) to bytes
     * @throws IOException   when a file cannot be read or written
     * @throws AssertionError when a committed seed differs from what the encoders produce now
     */
    public static void check(final Class<?> fuzzTest, final String method, final Map<String, byte[]> seeds)
        throws IOException {
        final Path dir = Path.of("src/test/resources", fuzzTest.getPackageName().replace('.', '/'),
            fuzzTest.getSimpleName() + "Inputs", method);
        final boolean write = Boolean.getBoolean("cairn.fuzz.write-seeds");
        if (seeds.isEmpty()) {
            throw new AssertionError("no seeds for " + fuzzTest.getSimpleName() + "#" + method);
        }
        for (final Map.Entry<String, byte[]> e : seeds.entrySet()) {
            final Path file = dir.resolve("seed-" + e.getKey());
            if (write) {
                Files.createDirectories(dir);
                Files.write(file, e.getValue());
            } else if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), e.getValue())) {
                throw new AssertionError(file + " is missing or not what the encoders write now (regenerate with "
                    + "-Dcairn.fuzz.write-seeds=true)");
            }
        }
    }
}
