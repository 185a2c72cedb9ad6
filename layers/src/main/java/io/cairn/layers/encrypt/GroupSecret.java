package io.cairn.layers.encrypt;

import io.cairn.stack.spi.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;

/**
 * Reads the group's secret from where the settings point: a file of raw secret bytes ({@code secret-file}), or a
 * secret-key entry of a PKCS#12 key store ({@code key-store}, {@code key-alias}, {@code key-store-password-file}).
 * Never from the stack file itself. Every failure names the setting, the file and the fix.
 */
final class GroupSecret {
    /** Shortest secret accepted: 128 bits. */
    static final int MIN_BYTES = 16;
    private static final String HOW = "e.g. head -c 32 /dev/urandom > group.key; chmod 600 group.key";

    private GroupSecret() {
    }

    /**
     * Reads every setting and checks what can be checked without the files (when a stack file is checked).
     *
     * @param s the encrypt layer's settings
     */
    static void checkSources(final Settings s) {
        final String file = s.string("secret-file");
        final String store = s.string("key-store");
        s.string("key-alias");
        s.string("key-store-password-file");
        s.require(file.isEmpty() || store.isEmpty(), "key-store", "set secret-file or key-store, not both");
    }

    /**
     * @param s the encrypt layer's settings
     * @return the secret's bytes
     */
    static byte[] read(final Settings s) {
        final String file = s.string("secret-file");
        final String store = s.string("key-store");
        final String alias = s.string("key-alias");
        final String passwordFile = s.string("key-store-password-file");
        s.require(!(file.isEmpty() && store.isEmpty()), "secret-file", "the encrypt layer needs the group's secret:"
            + " set secret-file (or the environment variable CAIRN_GROUP_SECRET_FILE) to a file of at least "
            + MIN_BYTES + " random bytes (" + HOW + "), or key-store to a PKCS#12 key store holding it");
        if (!file.isEmpty()) {
            final byte[] secret = readFile(s, "secret-file", file);
            s.require(secret.length >= MIN_BYTES, "secret-file", file + " holds " + secret.length + " bytes; a secret"
                + " needs at least " + MIN_BYTES + " (" + HOW + ")");
            return secret;
        }
        s.require(!passwordFile.isEmpty(), "key-store-password-file", "a key store needs its password: set "
            + "key-store-password-file to a file holding it");
        final byte[] pw = readFile(s, "key-store-password-file", passwordFile);
        final char[] password = new String(pw, StandardCharsets.UTF_8).strip().toCharArray();
        Arrays.fill(pw, (byte) 0);
        try (InputStream in = Files.newInputStream(Path.of(store))) {
            final KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            s.require(ks.containsAlias(alias), "key-alias", store + " has no entry '" + alias + "' (it has "
                + java.util.Collections.list(ks.aliases()) + "); store the secret with keytool -importpass or "
                + "-genseckey -alias " + alias);
            final Key key = ks.getKey(alias, password);
            s.require(key != null && key.getEncoded() != null, "key-alias", "entry '" + alias + "' of " + store
                + " is not a secret key");
            final byte[] secret = key.getEncoded();
            s.require(secret.length >= MIN_BYTES, "key-alias", "entry '" + alias + "' of " + store + " holds "
                + secret.length + " bytes; a secret needs at least " + MIN_BYTES);
            return secret;
        } catch (final NoSuchFileException e) {
            s.require(false, "key-store", "no such file: " + store);
        } catch (final IOException e) {
            final boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
            s.require(false, wrongPassword ? "key-store-password-file" : "key-store", wrongPassword
                ? "the password in " + passwordFile + " does not open " + store
                : "cannot read key store " + store + " (PKCS#12 expected): " + e.getMessage());
        } catch (final GeneralSecurityException e) {
            s.require(false, "key-store", "cannot read key store " + store + ": " + e);
        } finally {
            Arrays.fill(password, '\0');
        }
        throw new AssertionError("unreachable");
    }

    private static byte[] readFile(final Settings s, final String key, final String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (final NoSuchFileException e) {
            s.require(false, key, "no such file: " + file);
        } catch (final IOException e) {
            s.require(false, key, "cannot read " + file + ": " + e.getMessage());
        }
        throw new AssertionError("unreachable");
    }
}
