package io.cairn.transport.tcp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.spi.Property;
import io.cairn.testkit.LiveGroup;
import io.cairn.testkit.trace.CheckReport;
import io.cairn.testkit.trace.TraceChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS with mutual authentication over real TCP on 127.0.0.1, with stores made by keytool: a group whose members'
 * certificates one CA signed forms and delivers; a node signed by another CA is refused at the handshake; a key
 * store replaced on disk is used by new connections without a restart; bad stores fail the start with the file.
 */
class TcpTlsTest {
    private static final Set<String> PROPS = Set.of("I1", "I2", "I3", "I4", "F1", "V1", "V4", "M1", "M2", "M3", "E1");

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.Ca ca;
    private static TestPki.Ca rogueCa;

    @BeforeAll
    static void makeStores() throws Exception {
        pki = new TestPki(dir);
        ca = pki.ca("cairn-ca");
        rogueCa = pki.ca("rogue-ca");
    }

    /** N members in a full mesh over TLS, each with its own key store {@code <prefix>-m<i>.p12} signed by the CA. */
    private static LiveGroup members(final int n, final String group, final String stack, final String prefix)
        throws Exception {
        final Path[] stores = new Path[n];
        for (int i = 0; i < n; i++) {
            stores[i] = pki.member(ca, "m" + i, prefix + "-m" + i + ".p12");
        }
        return new LiveGroup(n, group, stack, Set.of(Property.FIFO), (i, earlier) -> ConfigFactory.parseMap(Map.of(
            "cairn.transport.tcp.initial-members", addresses(earlier))).withFallback(pki.tls(stores[i], ca)));
    }

    private static List<String> addresses(final List<Node> nodes) {
        return nodes.stream().map(x -> ((TcpTransport) x.transport("tcp")).localAddress())
            .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    }

    private static TcpTransport transport(final LiveGroup m, final int i) {
        return (TcpTransport) m.nodes().get(i).transport("tcp");
    }

    private static List<String> views(final LiveGroup m) {
        return m.groups().stream().map(g -> g.view().id() + " " + g.view().members()).toList();
    }

    /** Small casts, and casts of several TLS records each (frames split across records, partial socket writes). */
    @ParameterizedTest(name = "payload {0} bytes")
    @ValueSource(ints = {64, 40_000})
    void shouldDeliverEveryCastWhenMembersHaveCertificatesFromOneCa(final int payload) throws Exception {
        final int each = payload < 1000 ? 2000 : 150;
        try (LiveGroup m = members(3, "tls-group", "tcp-lossy-test", "a" + payload)) {
            m.castFromAll(each, payload);
            final long expected = 3L * each * 3;
            assertThat(LiveGroup.await(() -> m.delivered() == expected, 60)).as("delivered " + m.delivered()).isTrue();
            m.recordHandlerErrors();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
            for (int i = 0; i < 3; i++) {
                final Map<String, Long> s = transport(m, i).stats();
                assertThat(s.get("tls_handshakes")).as("m" + i + " " + s).isGreaterThanOrEqualTo(2);
                assertThat(s.get("tls_handshake_failures")).as("m" + i + " " + s).isZero();
                assertThat(s.get("frames")).as("m" + i + " " + s).isPositive();
                assertThat(transport(m, i).ioThreadRuns()).as("with TLS the I/O loop keeps its own thread").isTrue();
            }
        }
    }

    @Test
    void shouldRefuseNodeWhenItsCertificateIsSignedByAnUntrustedCaOrItSharesNoProtocol() throws Exception {
        // Both rogues trust the members' CA, so only the members' side of the handshake stands in their way.
        final Config untrusted = pki.tls(pki.member(rogueCa, "m3", "rogue-m3.p12"), ca);
        final Config oldProtocol = ConfigFactory.parseString("cairn.transport.tcp.tls.protocols = [TLSv1.2]")
            .withFallback(pki.tls(pki.member(ca, "m3", "tls12-m3.p12"), ca));
        try (LiveGroup m = members(3, "tls-refuse", "tcp-vsync-test", "b")) {
            assertThat(LiveGroup.await(m::formed, 30)).as("formed").isTrue();
            final List<String> views = views(m);
            for (final Config rogue : List.of(untrusted, oldProtocol)) {
                assertRefused(m, rogue);
                assertThat(views(m)).as("no view change").isEqualTo(views);
            }
            m.castFromAll(100, 64);
            assertThat(LiveGroup.await(() -> m.delivered() == 3L * 100 * 3, 30)).as("members deliver").isTrue();
            assertThat(views(m)).as("no view change").isEqualTo(views);
            m.recordHandlerErrors();
            final CheckReport report = new TraceChecker(PROPS, 0, false).check(m.trace().events());
            assertThat(report.violations()).as(report.summary()).isEmpty();
        }
    }

    /** A node m3 with the given TLS settings dials every member and joins their group: every member refuses it. */
    private static void assertRefused(final LiveGroup m, final Config tls) throws Exception {
        final long[] before = new long[3];
        for (int i = 0; i < 3; i++) {
            before[i] = transport(m, i).stats().get("tls_handshake_failures");
        }
        final long delivered = m.delivered();
        final AtomicLong rogueDeliveries = new AtomicLong();
        try (Node rogue = Node.builder().name("m3").config(ConfigFactory.parseMap(Map.of(
            "cairn.transport.tcp.initial-members", addresses(m.nodes()))).withFallback(tls)
            .withFallback(ConfigFactory.load())).build();
             Group g = rogue.join("tls-refuse", "tcp-vsync-test", ConfigFactory.empty(),
                 d -> rogueDeliveries.incrementAndGet())) {
            // Two refusals each: the rogue dialled every member, and redialled after its backoff.
            assertThat(LiveGroup.await(() -> java.util.stream.IntStream.range(0, 3).allMatch(i ->
                transport(m, i).stats().get("tls_handshake_failures") >= before[i] + 2), 30))
                .as("every member refused the rogue's handshakes").isTrue();
            final TcpTransport rt = (TcpTransport) rogue.transport("tcp");
            assertThat(rt.stats().get("tls_handshake_failures")).as("the rogue saw the refusals: " + rt.stats())
                .isPositive();
            assertThat(rt.stats().get("frames")).as("no frame reached the rogue: " + rt.stats()).isZero();
            assertThat(g.view() == null || !g.view().members().toString().contains("m0"))
                .as("the rogue never joined: " + g.view()).isTrue();
            assertThat(rogueDeliveries.get()).as("nothing of the members reached the rogue").isZero();
            assertThat(m.delivered()).as("nothing of the rogue reached the members").isEqualTo(delivered);
        }
    }

    @Test
    void shouldPresentTheNewCertificateOnNewConnectionsWhenTheKeyStoreIsReplacedOnDisk() throws Exception {
        try (LiveGroup m = members(3, "tls-reload", "tcp-vsync-test", "c")) {
            assertThat(LiveGroup.await(m::formed, 30)).as("formed").isTrue();
            final Path store = dir.resolve("c-m0.p12");
            final BigInteger old = TestPki.serial(store);
            final InetSocketAddress m0 = transport(m, 0).localAddress();
            final SSLContext probe = client(dir.resolve("c-m1.p12"));
            assertThat(peerSerial(probe, m0)).isEqualTo(old);
            final List<String> views = views(m);

            // A broken file: new connections keep the last good certificate, and the failure is counted.
            Files.write(store, new byte[] {1, 2, 3});
            assertThat(LiveGroup.await(() -> peerSerial(probe, m0).equals(old)
                && transport(m, 0).stats().get("tls_reload_failures") >= 1, 30))
                .as("old certificate kept: " + transport(m, 0).stats()).isTrue();

            final Path fresh = pki.member(ca, "m0", "c-m0-new.p12");
            final BigInteger renewed = TestPki.serial(fresh);
            assertThat(renewed).isNotEqualTo(old);
            Files.move(fresh, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(LiveGroup.await(() -> peerSerial(probe, m0).equals(renewed), 30))
                .as("a new connection gets the new certificate: " + transport(m, 0).stats()).isTrue();
            // m0 finishes its side of the handshake after the probe's (TLS 1.3 sends the client's Finished last).
            assertThat(LiveGroup.await(() -> renewed.equals(transport(m, 0).tlsLocalSerial()), 10))
                .as("the serial m0 presented last: " + transport(m, 0).tlsLocalSerial()).isTrue();
            assertThat(transport(m, 0).stats().get("tls_reloads")).isGreaterThanOrEqualTo(1);

            // The members' own connections were made with the old certificate and carry on.
            m.castFromAll(100, 64);
            assertThat(LiveGroup.await(() -> m.delivered() == 3L * 100 * 3, 30)).as("members deliver").isTrue();
            assertThat(views(m)).as("no view change").isEqualTo(views);
        }
    }

    @Test
    void shouldFailWithTheFileWhenTheKeyStoreIsMissing() {
        final Path missing = dir.resolve("no-such.p12");
        assertThatThrownBy(() -> start(pki.tls(missing, ca))).isInstanceOf(StackConfigException.class)
            .hasMessageContaining("cairn.transport.tcp.tls.key-store = " + missing)
            .hasMessageContaining("no such file: " + missing);
    }

    @Test
    void shouldFailNamingBothFilesWhenThePasswordIsWrong() throws Exception {
        final Path store = pki.member(ca, "d1", "d-wrong-password.p12");
        final Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-it");
        assertThatThrownBy(() -> start(ConfigFactory.parseString("cairn.transport.tcp.tls.key-store-password-file = \""
            + wrong + "\"").withFallback(pki.tls(store, ca)))).isInstanceOf(StackConfigException.class)
            .hasMessageContaining("cairn.transport.tcp.tls.key-store-password-file = " + wrong)
            .hasMessageContaining("the password in " + wrong + " does not open " + store);
    }

    @Test
    void shouldFailNamingTheAliasAndDateWhenTheCertificateExpired() throws Exception {
        final Path store = pki.selfSigned("d-expired.p12", "-startdate", "-30d", "-validity", "10");
        assertThatThrownBy(() -> start(pki.tls(store, ca))).isInstanceOf(StackConfigException.class)
            .hasMessageContaining("cairn.transport.tcp.tls.key-store = " + store)
            .hasMessageContaining("the certificate of entry 'member' in " + store + " expired (notAfter ")
            .hasMessageContaining("write the new key store over this file");
    }

    @Test
    void shouldFailWhenTheTrustStoreHoldsNoCertificate() throws Exception {
        final Path store = pki.member(ca, "d2", "d-valid.p12");
        final Path keysOnly = pki.selfSigned("d-keys-only.p12");
        assertThatThrownBy(() -> start(ConfigFactory.parseString("cairn.transport.tcp.tls.trust-store = \""
            + keysOnly + "\"").withFallback(pki.tls(store, ca)))).isInstanceOf(StackConfigException.class)
            .hasMessageContaining("cairn.transport.tcp.tls.trust-store = " + keysOnly)
            .hasMessageContaining("holds no trusted certificate");
    }

    @Test
    void shouldRefuseAnInlinePasswordWhenOneIsConfigured() {
        assertThatThrownBy(() -> start(ConfigFactory.parseString("cairn.transport.tcp.tls.key-store-password = x")))
            .isInstanceOf(StackConfigException.class)
            .hasMessageContaining("cairn.transport.tcp.tls.key-store-password = x")
            .hasMessageContaining("set key-store-password-file");
    }

    private static void start(final Config tls) {
        new TcpTransport(tls.withFallback(ConfigFactory.load()).getConfig("cairn.transport.tcp"), "settings-test")
            .close();
    }

    /** A client context as member m1 (the test stands in for a new connection to a member). */
    private static SSLContext client(final Path keyStore) throws Exception {
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, TestPki.PASSWORD.toCharArray());
        }
        final KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            ts.load(in, TestPki.PASSWORD.toCharArray());
        }
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TestPki.PASSWORD.toCharArray());
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        final SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    /** @return the serial of the certificate a member presents on a new connection */
    private static BigInteger peerSerial(final SSLContext c, final InetSocketAddress to) {
        try (SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
