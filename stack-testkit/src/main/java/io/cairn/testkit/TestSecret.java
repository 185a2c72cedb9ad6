package io.cairn.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;

/**
 * The group secret of test runs: a stack with the {@code encrypt} layer and no secret configured gets this one, a
 * file of 32 bytes drawn from a fixed seed (so that a simulator seed replays exactly), written once per JVM to a
 * temporary file readable only by its owner. Never for production: anyone can compute it.
 */
public final class TestSecret {
    private static Path file;

    private TestSecret() {
    }

    /** @return the secret file, written on first use */
    public static synchronized Path file() {
        if (file == null) {
            final byte[] secret = new byte[32];
            new SplittableRandom(0xC0FFEEL).nextBytes(secret);
            try {
                final Path f = Files.createTempFile("cairn-test-group", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(f, secret);
                f.toFile().deleteOnExit();
                file = f;
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write the test secret", e);
            }
        }
        return file;
    }

    /**
     * @return settings that give the encrypt layer the test secret ({@code cairn.stack.layer.encrypt.secret-file})
     */
    public static Config overrides() {
        return ConfigFactory.empty().withValue("cairn.stack.layer.encrypt.secret-file",
            ConfigValueFactory.fromAnyRef(file().toString()));
    }

    /**
     * Loads a stack; when it has the encrypt layer without a configured secret, with the test secret.
     *
     * @param ref a shipped stack's name or a stack file's path
     * @return the spec
     */
    public static StackSpec load(final String ref) {
        final StackAssembler assembler = new StackAssembler();
        final StackSpec spec = assembler.load(ref, ConfigFactory.empty());
        return needsSecret(spec) ? assembler.load(ref, overrides()) : spec;
    }

    /**
     * @param spec a stack
     * @return whether it has the encrypt layer and no secret configured
     */
    public static boolean needsSecret(final StackSpec spec) {
        for (final StackSpec.LayerPlan p : spec.layers()) {
            if (p.name().equals("encrypt") && p.settings().getString("secret-file").isEmpty()
                && p.settings().getString("key-store").isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
