package io.cairn.transport.tcp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.cairn.stack.spi.Settings;

import java.util.List;

/**
 * The {@code cairn.transport.tcp.tls} settings, read eagerly. Every key is read even when TLS is off, so a typo in
 * a value fails at start; the files are only opened (by {@link TlsContext}) when it is on. Passwords come from
 * files only: an inline {@code *-password} key is refused.
 *
 * @param enabled                whether every connection runs TLS
 * @param keyStore               PKCS#12 key store: this node's private key and certificate chain
 * @param keyStorePasswordFile   file holding the key store's password
 * @param trustStore             PKCS#12 store of the CA certificates a peer's chain must lead to
 * @param trustStorePasswordFile file holding the trust store's password
 * @param protocols              enabled protocols (e.g. TLSv1.3)
 * @param cipherSuites           enabled cipher suites; empty: the JDK's defaults
 * @param reloadIntervalNs       how often, at most, the store files are checked for a change
 * @param source                 the settings, for messages naming file, line, key and value
 */
record TlsSettings(boolean enabled, String keyStore, String keyStorePasswordFile, String trustStore,
                   String trustStorePasswordFile, List<String> protocols, List<String> cipherSuites,
                   long reloadIntervalNs, Settings source) {
    static final String PATH = "cairn.transport.tcp.tls";

    /**
     * @param tcp the {@code cairn.transport.tcp} section
     * @return the TLS settings (all off when the section has no {@code tls})
     */
    static TlsSettings from(final Config tcp) {
        final Settings s = new Settings(PATH, tcp.hasPath("tls") ? tcp.getConfig("tls")
            : com.typesafe.config.ConfigFactory.empty());
        if (!tcp.hasPath("tls")) {
            // A section built by hand, without the reference defaults: TLS off, like the default.
            return new TlsSettings(false, "", "", "", "", List.of("TLSv1.3"), List.of(), Settings.SECOND, s);
        }
        for (final String inline : List.of("key-store-password", "trust-store-password", "password")) {
            s.require(!s.config().hasPath(inline), inline, "passwords are read from files only, never written in a "
                + "configuration: put it in a file readable by this node alone and set " + inline + "-file");
        }
        final boolean enabled = s.flag("enabled");
        final String keyStore = s.string("key-store");
        final String keyPw = s.string("key-store-password-file");
        final String trustStore = s.string("trust-store");
        final String trustPw = s.string("trust-store-password-file");
        final List<String> protocols = list(s, "protocols");
        final List<String> suites = list(s, "cipher-suites");
        final long reload = s.durationNs("reload-interval", 0, Settings.HOUR);
        if (enabled) {
            s.require(!keyStore.isEmpty(), "key-store", "TLS needs this node's key and certificate: set key-store to"
                + " a PKCS#12 key store (keytool -genkeypair -storetype PKCS12, then the CA-signed chain)");
            s.require(!keyPw.isEmpty(), "key-store-password-file", "set key-store-password-file to a file holding"
                + " the password of " + keyStore);
            s.require(!trustStore.isEmpty(), "trust-store", "TLS with mutual authentication needs the CA that signs"
                + " members' certificates: set trust-store to a PKCS#12 store holding it (keytool -importcert)");
            s.require(!trustPw.isEmpty(), "trust-store-password-file", "set trust-store-password-file to a file "
                + "holding the password of " + trustStore);
            s.require(!protocols.isEmpty(), "protocols", "name at least one protocol, e.g. [\"TLSv1.3\"]");
            final javax.net.ssl.SSLParameters supported = supported();
            for (final String p : protocols) {
                s.require(List.of(supported.getProtocols()).contains(p), "protocols", p + " is not supported by this"
                    + " JDK (it supports " + List.of(supported.getProtocols()) + ")");
            }
            for (final String c : suites) {
                s.require(List.of(supported.getCipherSuites()).contains(c), "cipher-suites", c + " is not supported"
                    + " by this JDK; leave the list empty for the JDK's defaults");
            }
        }
        return new TlsSettings(enabled, keyStore, keyPw, trustStore, trustPw, protocols, suites, reload, s);
    }

    private static List<String> list(final Settings s, final String key) {
        try {
            return List.copyOf(s.config().getStringList(key));
        } catch (final ConfigException e) {
            s.require(false, key, "expected a list of strings, e.g. [\"TLSv1.3\"]");
            throw new AssertionError("unreachable");
        }
    }

    private static javax.net.ssl.SSLParameters supported() {
        try {
            return javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters();
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no TLS implementation", e);
        }
    }
}
