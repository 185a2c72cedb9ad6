package io.cairn.transport.tcp;

import io.cairn.stack.spi.Settings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's TLS context, built from its key store and trust store and rebuilt when either file changes. Loading
 * checks what would otherwise surface as an obscure handshake failure on the first connection: the password opens
 * the store, the key store holds a private key whose certificate is valid now, the trust store holds a CA. Each
 * failure names the setting, the file and the fix. Used by the I/O thread only, apart from the counters.
 */
final class TlsContext {
    private static final System.Logger LOG = System.getLogger(TlsContext.class.getName());

    private final TlsSettings settings;
    private SSLContext context;
    /** Size, modification time and file key of both stores when {@link #context} was built (or last failed). */
    private List<Object> stamp;
    private long nextCheckNs;
    /** Serial of this node's certificate in the current context. */
    private volatile BigInteger localSerial;
    final AtomicLong reloads = new AtomicLong();
    final AtomicLong reloadFailures = new AtomicLong();

    private TlsContext(final TlsSettings settings) {
        this.settings = settings;
    }

    /**
     * @param settings the TLS settings (enabled)
     * @return the context, loaded and checked
     * @throws io.cairn.stack.config.StackConfigException naming the file, key, value and fix
     */
    static TlsContext load(final TlsSettings settings) {
        final TlsContext c = new TlsContext(settings);
        c.stamp = c.stamp();
        c.build();
        c.nextCheckNs = System.nanoTime() + settings.reloadIntervalNs();
        return c;
    }

    /** @return the serial number of this node's certificate in the context new connections use */
    BigInteger localSerial() {
        return localSerial;
    }

    /**
     * A new engine for one connection, from the current context after checking (at most every
     * {@code reload-interval}) whether a store file changed. A changed file that does not load leaves the old
     * context in place: counted and logged, and not tried again until the file changes again.
     *
     * @param client whether this side dialled
     * @param peer   the dialled address (session resumption), or null when accepted
     * @param nowNs  the time
     * @return an engine, its handshake not begun
     */
    SSLEngine newEngine(final boolean client, final InetSocketAddress peer, final long nowNs) {
        if (nowNs - nextCheckNs >= 0) {
            nextCheckNs = nowNs + settings.reloadIntervalNs();
            final List<Object> now = stamp();
            if (!now.equals(stamp)) {
                stamp = now;
                try {
                    build();
                    reloads.incrementAndGet();
                    LOG.log(System.Logger.Level.INFO, "tls: reloaded " + settings.keyStore() + " and "
                        + settings.trustStore() + "; new connections use certificate serial "
                        + localSerial.toString(16));
                } catch (final IllegalArgumentException e) {
                    reloadFailures.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "tls: a store file changed but does not load; new "
                        + "connections keep the previous certificate (serial " + localSerial.toString(16) + "): "
                        + e.getMessage());
                }
            }
        }
        final SSLEngine e = peer == null ? context.createSSLEngine()
            : context.createSSLEngine(peer.getHostString(), peer.getPort());
        e.setUseClientMode(client);
        final SSLParameters p = e.getSSLParameters();
        p.setProtocols(settings.protocols().toArray(new String[0]));
        if (!settings.cipherSuites().isEmpty()) {
            p.setCipherSuites(settings.cipherSuites().toArray(new String[0]));
        }
        // Peers are authenticated by their CA, not by name: members dial each other by address.
        p.setEndpointIdentificationAlgorithm(null);
        if (!client) {
            p.setNeedClientAuth(true);
        }
        e.setSSLParameters(p);
        return e;
    }

    private List<Object> stamp() {
        final List<Object> s = new ArrayList<>();
        for (final String f : List.of(settings.keyStore(), settings.trustStore())) {
            try {
                final BasicFileAttributes a = Files.readAttributes(Path.of(f), BasicFileAttributes.class);
                s.add(a.size());
                s.add(a.lastModifiedTime());
                s.add(Objects.toString(a.fileKey()));
            } catch (final IOException e) {
                s.add(e.getClass().getName());
            }
        }
        return s;
    }

    private void build() {
        final Settings s = settings.source();
        final char[] keyPw = password(s, "key-store-password-file", settings.keyStorePasswordFile());
        final char[] trustPw = password(s, "trust-store-password-file", settings.trustStorePasswordFile());
        try {
            final KeyStore keys = open(s, "key-store", settings.keyStore(), "key-store-password-file",
                settings.keyStorePasswordFile(), keyPw);
            final BigInteger serial = checkKeys(s, keys, keyPw);
            final KeyStore trust = open(s, "trust-store", settings.trustStore(), "trust-store-password-file",
                settings.trustStorePasswordFile(), trustPw);
            checkTrust(s, trust);
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPw);
            final TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            final SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            context = ctx;
            localSerial = serial;
        } catch (final UnrecoverableKeyException e) {
            s.require(false, "key-store", "a key of " + settings.keyStore() + " has another password than the store"
                + " (" + e.getMessage() + "); give keys the store's password (keytool -keypass = -storepass)");
        } catch (final GeneralSecurityException e) {
            s.require(false, "key-store", "cannot build a TLS context from " + settings.keyStore() + " and "
                + settings.trustStore() + ": " + e);
        } finally {
            Arrays.fill(keyPw, '\0');
            Arrays.fill(trustPw, '\0');
        }
    }

    /** @return the serial of the key entry's certificate, after checking every key entry is valid now */
    private BigInteger checkKeys(final Settings s, final KeyStore ks, final char[] pw)
        throws GeneralSecurityException {
        final List<String> aliases = Collections.list(ks.aliases());
        BigInteger serial = null;
        for (final String alias : aliases) {
            if (!ks.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                continue;
            }
            final X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
            try {
                cert.checkValidity();
            } catch (final CertificateExpiredException e) {
                s.require(false, "key-store", "the certificate of entry '" + alias + "' in " + settings.keyStore()
                    + " expired (notAfter " + cert.getNotAfter().toInstant() + "); have the CA sign a new one and"
                    + " write the new key store over this file (it is reloaded without a restart)");
            } catch (final CertificateNotYetValidException e) {
                s.require(false, "key-store", "the certificate of entry '" + alias + "' in " + settings.keyStore()
                    + " is not valid yet (notBefore " + cert.getNotBefore().toInstant() + "); check this host's "
                    + "clock, or the -startdate it was signed with");
            }
            serial = serial == null ? cert.getSerialNumber() : serial;
        }
        final BigInteger found = serial;
        s.require(found != null, "key-store", settings.keyStore() + " holds no private key entry (it has "
            + aliases + "); create one with keytool -genkeypair and import the CA-signed chain with -importcert");
        return found;
    }

    private void checkTrust(final Settings s, final KeyStore ks) throws GeneralSecurityException {
        final List<String> aliases = Collections.list(ks.aliases());
        int cas = 0;
        for (final String alias : aliases) {
            cas += ks.isCertificateEntry(alias) ? 1 : 0;
        }
        s.require(cas > 0, "trust-store", settings.trustStore() + " holds no trusted certificate (it has "
            + aliases + "), so no peer could be authenticated; import the CA with keytool -importcert -alias ca "
            + "-file ca.pem -keystore " + settings.trustStore());
    }

    private static KeyStore open(final Settings s, final String key, final String file, final String pwKey,
                                 final String pwFile, final char[] pw) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            final KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            return ks;
        } catch (final NoSuchFileException e) {
            s.require(false, key, "no such file: " + file);
        } catch (final IOException e) {
            final boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
            s.require(false, wrongPassword ? pwKey : key, wrongPassword
                ? "the password in " + pwFile + " does not open " + file
                : "cannot read " + file + " (a PKCS#12 store expected): " + (e.getMessage() == null ? e
                : e.getMessage()));
        } catch (final GeneralSecurityException e) {
            s.require(false, key, "cannot read " + file + ": " + e);
        }
        throw new AssertionError("unreachable");
    }

    private static char[] password(final Settings s, final String key, final String file) {
        try {
            final byte[] b = Files.readAllBytes(Path.of(file));
            final char[] pw = new String(b, StandardCharsets.UTF_8).strip().toCharArray();
            Arrays.fill(b, (byte) 0);
            return pw;
        } catch (final NoSuchFileException e) {
            s.require(false, key, "no such file: " + file);
        } catch (final IOException e) {
            s.require(false, key, "cannot read " + file + ": " + e.getMessage());
        }
        throw new AssertionError("unreachable");
    }
}
