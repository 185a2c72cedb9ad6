package io.cairn.transport.tcp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Key stores and trust stores for TLS tests, made with the JDK's keytool in a directory: CAs (basic constraints
 * CA), members whose certificates a CA signs (certreq, gencert, then the CA and the signed chain imported), all
 * PKCS#12 with one password, kept in a file as the transport wants it. EC keys: generated in milliseconds.
 */
final class TestPki {
    static final String PASSWORD = "test-password";
    private static final String KEYTOOL = System.getProperty("java.home") + "/bin/keytool";

    private final Path dir;
    private final Path passwordFile;

    /** A CA: its own key store, its certificate (PEM), and a trust store holding just that certificate. */
    record Ca(String name, Path store, Path cert, Path trustStore) {
    }

    TestPki(final Path dir) throws IOException {
        this.dir = dir;
        this.passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    }

    Path passwordFile() {
        return passwordFile;
    }

    Path dir() {
        return dir;
    }

    Ca ca(final String name) throws Exception {
        final Path store = dir.resolve(name + ".p12");
        final Path cert = dir.resolve(name + ".pem");
        final Path trust = dir.resolve(name + "-trust.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
            "-ext", "bc:c", "-validity", "365", "-keystore", store.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-file", cert.toString(), "-keystore", store.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cert.toString(), "-keystore", trust.toString());
        return new Ca(name, store, cert, trust);
    }

    /**
     * @param ca   the signing CA
     * @param name the member's common name
     * @param file the key store to write (any existing file is replaced by the caller)
     * @return the key store: the member's key and the chain (member, CA), and the CA as a trusted entry
     */
    Path member(final Ca ca, final String name, final String file) throws Exception {
        final Path store = dir.resolve(file);
        final Path csr = dir.resolve(file + ".csr");
        final Path signed = dir.resolve(file + ".pem");
        Files.deleteIfExists(store);
        keytool("-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
            "-validity", "365", "-keystore", store.toString());
        keytool("-certreq", "-alias", "member", "-file", csr.toString(), "-keystore", store.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-infile", csr.toString(), "-outfile", signed.toString(),
            "-validity", "365", "-keystore", ca.store().toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.cert().toString(), "-keystore",
            store.toString());
        keytool("-importcert", "-alias", "member", "-file", signed.toString(), "-keystore", store.toString());
        return store;
    }

    /**
     * @param file    the key store to write
     * @param options more genkeypair options, e.g. {@code -startdate -30d -validity 10} for an expired certificate
     * @return a key store with one self-signed key pair and no trusted certificate
     */
    Path selfSigned(final String file, final String... options) throws Exception {
        final Path store = dir.resolve(file);
        final List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "member", "-keyalg", "EC",
            "-groupname", "secp256r1", "-dname", "CN=" + file, "-keystore", store.toString()));
        args.addAll(List.of(options));
        keytool(args.toArray(new String[0]));
        return store;
    }

    /**
     * @param keyStore the node's key store
     * @param trusted  the CA it trusts
     * @return {@code cairn.transport.tcp.tls} enabled with those stores (reload checked every 50 ms)
     */
    Config tls(final Path keyStore, final Ca trusted) {
        return ConfigFactory.parseString("cairn.transport.tcp.tls { enabled = true\n key-store = \"" + keyStore
            + "\"\n key-store-password-file = \"" + passwordFile + "\"\n trust-store = \"" + trusted.trustStore()
            + "\"\n trust-store-password-file = \"" + passwordFile + "\"\n reload-interval = 50ms }");
    }

    /** @return the serial of the certificate of the key store's private key entry */
    static BigInteger serial(final Path keyStore) throws Exception {
        try (InputStream in = Files.newInputStream(keyStore)) {
            final KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ((X509Certificate) ks.getCertificate("member")).getSerialNumber();
        }
    }

    private static void keytool(final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of(KEYTOOL));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
