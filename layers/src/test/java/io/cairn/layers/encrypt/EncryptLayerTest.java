package io.cairn.layers.encrypt;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.runtime.StackParams;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.testkit.BareStack;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.KeyGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encrypt layer's seal, end to end through two stack runtimes whose transport records the frames on the wire. */
class EncryptLayerTest {
    private static final MemberId A = MemberId.parse("a");
    private static final MemberId B = MemberId.parse("b");
    private static final View VIEW = View.initial(List.of(A, B));

    @TempDir
    Path dir;

    /** A stack of one layer (or none) on this thread, whose frames the test carries by hand. */
    private static BareStack stack(final MemberId self, final Layer layer, final Config settings, final long seed) {
        return new BareStack(self, VIEW, layer == null ? List.of()
            : List.of(new StackParams.LayerEntry("encrypt", layer, settings)), seed, 1500);
    }

    private Path secret(final String name, final int bytes) throws Exception {
        final byte[] s = new byte[bytes];
        new java.util.Random(name.hashCode()).nextBytes(s);
        return Files.write(dir.resolve(name), s);
    }

    /** Settings without view keys (the tests of sealing and sessions), unless the overrides turn them on. */
    private static Config settings(final String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseString("view-keys = off"))
            .withFallback(ConfigFactory.defaultReference().getConfig("cairn.layer.encrypt"));
    }

    @Test
    void shouldSealDataUnderAViewKeyOnlyItsMembersReceive() throws Exception {
        final Path s = secret("group.key", 32);
        final String on = "secret-file = \"" + s + "\", view-keys = on";
        final BareStack a = stack(A, new EncryptLayer(), settings(on), 1);
        final BareStack b = stack(B, new EncryptLayer(), settings(on), 2);
        // An outsider holding the group secret, but not in the view [a, b] (it left, say).
        final BareStack c = stack(MemberId.parse("c"), new EncryptLayer(), settings(on), 3);

        b.cast("before the key");
        BareStack.pump(a, b, c);
        a.cast("one");
        BareStack.pump(a, b, c);
        a.cast("two");
        b.cast("three");
        final byte[] underKey = a.lastFrame();
        BareStack.pump(a, b, c);

        assertThat(a.stat("encrypt.view_keys_made")).isEqualTo(1);
        assertThat(b.stat("encrypt.view_keys_received")).isEqualTo(1);
        assertThat(c.stat("encrypt.view_keys_received")).as("not a member of the view").isZero();
        assertThat(new UnsafeBuffer(underKey).getLong(EncryptLayer.KEY_ID_OFFSET, FrameHeader.ORDER))
            .as("a's data goes under the view key").isNotZero();
        assertThat(b.delivered).contains("two").doesNotContain("before the key");
        assertThat(a.delivered).contains("three");
        assertThat(c.delivered).as("c holds the group secret but not the view key").doesNotContain("two", "three");
        assertThat(c.stat("stack.reject_no_key")).isPositive();
        assertThat(b.stat("stack.handler_errors") + a.stat("stack.handler_errors")).isZero();
    }

    private static BareStack member(final MemberId self, final Path secret, final long seed) {
        return stack(self, new EncryptLayer(), settings("secret-file = \"" + secret + "\""), seed);
    }

    /**
     * Lets {@code to} verify {@code from}'s session: a first frame, refused as unverified, makes {@code to} challenge
     * it; {@code from} answers. Frames of {@code from} sealed before the answer are refused from then on.
     */
    private static void introduce(final BareStack from, final BareStack to) {
        to.receive(from.cast("hello").lastFrame());
        assertThat(to.stat("stack.reject_unverified")).isPositive();
        BareStack.pump(from, to);
        assertThat(to.delivered).isEmpty();
    }

    @Test
    void shouldVerifyASenderSessionBeforeTakingItsFrames() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack a = member(A, s, 1);
        final BareStack b = member(B, s, 2);
        final byte[] early = a.cast("sent before b knew a").lastFrame();

        b.receive(early);
        assertThat(b.delivered).isEmpty();
        assertThat(b.stat("encrypt.challenges_sent")).isEqualTo(1);
        b.receive(early);
        assertThat(b.stat("encrypt.challenges_sent")).as("one challenge per interval").isEqualTo(1);
        a.receive(b.lastFrame());
        b.receive(a.lastFrame());
        b.receive(early);
        b.receive(a.cast("after").lastFrame());

        assertThat(b.delivered).containsExactly("after");
        assertThat(b.stat("stack.reject_unverified")).isEqualTo(2);
        assertThat(b.stat("stack.reject_replay")).as("sealed before the response").isEqualTo(1);
    }

    @Test
    void shouldDeliverWhatItSealedWhenBothHoldTheSecret() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack a = member(A, s, 1);
        final BareStack b = member(B, s, 2);
        introduce(a, b);

        final byte[] frame = a.cast("attack at dawn").lastFrame();
        b.receive(frame);

        assertThat(b.delivered).containsExactly("attack at dawn");
        assertThat(frame[FrameHeader.FLAGS_OFFSET] & FrameHeader.FLAG_SEALED).isNotZero();
        assertThat(new String(frame, StandardCharsets.ISO_8859_1)).doesNotContain("attack");
        assertThat(a.runtime().maxFrameLength()).isEqualTo(1500 - EncryptLayer.OVERHEAD);
        assertThat(b.stat("encrypt.frames_opened")).as("the response, a challenge, the data").isEqualTo(3);
    }

    @Test
    void shouldRefuseEveryBitFlipAndTruncationWhenTheFrameIsTamperedWith() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack a = member(A, s, 1);
        final BareStack b = member(B, s, 2);
        introduce(a, b);
        final long openedBefore = b.stat("encrypt.frames_opened");
        final byte[] frame = a.cast("payload").lastFrame();
        for (int i = 0; i < frame.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                final byte[] bad = frame.clone();
                bad[i] ^= (byte) (1 << bit);
                b.receive(bad);
            }
        }
        for (int n = 0; n < frame.length; n++) {
            final byte[] cut = java.util.Arrays.copyOf(frame, n);
            b.receive(cut);
            if (n >= FrameHeader.LENGTH) {
                // An honest length field too, so the frame reaches the seal.
                new UnsafeBuffer(cut).putInt(FrameHeader.FRAME_LENGTH_OFFSET, n, FrameHeader.ORDER);
                b.receive(cut);
            }
        }
        assertThat(b.delivered).isEmpty();
        assertThat(b.stat("stack.handler_errors")).isZero();
        assertThat(b.stat("encrypt.frames_opened")).isEqualTo(openedBefore);
        assertThat(b.stat("stack.reject_forged")).isGreaterThan(frame.length * 6L);

        b.receive(frame);
        assertThat(b.delivered).containsExactly("payload");
    }

    @Test
    void shouldRefuseAReplayWhenTheFrameWasReceivedBefore() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack a = member(A, s, 1);
        final BareStack b = member(B, s, 2);
        introduce(a, b);
        final byte[] one = a.cast("one").lastFrame();
        final byte[] two = a.cast("two").lastFrame();
        final byte[] three = a.cast("three").lastFrame();

        b.receive(three).receive(one).receive(one).receive(two).receive(three).receive(two);

        assertThat(b.delivered).containsExactly("three", "one", "two");
        assertThat(b.stat("stack.reject_replay")).isEqualTo(3);
    }

    @Test
    void shouldRefuseAFrameWhenItIsOlderThanTheWindow() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack a = member(A, s, 1);
        final BareStack b = stack(B, new EncryptLayer(), settings("secret-file = \"" + s + "\", replay-window = 64"),
            2);
        introduce(a, b);
        final int base = a.wire.size();
        for (int i = 1; i <= 70; i++) {
            a.cast("m" + i);
        }
        b.receive(a.wire.get(base + 69)).receive(a.wire.get(base)).receive(a.wire.get(base + 9));

        assertThat(b.delivered).containsExactly("m70", "m10");
        assertThat(b.stat("stack.reject_replay")).isEqualTo(1);
    }

    @Test
    void shouldRefuseFramesWhenTheSenderHoldsAnotherSecretOrNone() throws Exception {
        final BareStack b = member(B, secret("group.key", 32), 2);
        final BareStack rogue = member(A, secret("other.key", 32), 1);
        final BareStack plain = stack(A, null, null, 1);

        b.receive(rogue.cast("forged").lastFrame()).receive(plain.cast("plain").lastFrame());

        assertThat(b.delivered).isEmpty();
        assertThat(b.stat("stack.reject_forged")).isEqualTo(1);
        assertThat(b.stat("stack.reject_unsealed")).isEqualTo(1);
    }

    @Test
    void shouldTakeANewSessionOfASenderOnlyWhenItAnswersLive() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack b = member(B, s, 2);
        final BareStack first = member(A, s, 1);
        introduce(first, b);
        final byte[] old = first.cast("first").lastFrame();
        b.receive(old);
        final BareStack restarted = member(A, s, 99);

        // A session nobody answers for (a capture of an earlier run, say) is never taken.
        b.receive(restarted.cast("unanswered").lastFrame());
        first.receive(b.lastFrame());
        assertThat(first.wire.get(first.wire.size() - 1)).as("the old process does not answer for another session")
            .isEqualTo(old);
        // The live process answers: its session replaces the old one, whose frames are refused from then on.
        restarted.receive(b.lastFrame());
        b.receive(restarted.lastFrame());
        b.receive(restarted.cast("restarted").lastFrame()).receive(old);

        assertThat(b.delivered).containsExactly("first", "restarted");
        assertThat(b.stat("stack.reject_replay")).isEqualTo(1);
        assertThat(b.stat("encrypt.sender_sessions")).as("its own, a's first and a's second").isEqualTo(3);
    }

    @Test
    void shouldRefuseAUnicastWhenItIsReplayedToAnotherMember() throws Exception {
        final Path s = secret("group.key", 32);
        final BareStack a = member(A, s, 1);
        final BareStack b = member(B, s, 2);
        final BareStack c = member(MemberId.parse("c"), s, 3);
        introduce(a, c);
        final byte[] text = "for b only".getBytes(StandardCharsets.UTF_8);
        assertThat(a.runtime().offerSend(B.key(), new UnsafeBuffer(text), 0, text.length)).isTrue();
        a.runtime().doWork();

        c.receive(a.lastFrame());

        assertThat(c.delivered).isEmpty();
        assertThat(c.stat("stack.reject_forged")).isEqualTo(1);
        b.runtime().doWork();
    }

    @Test
    void shouldNameTheSettingAndTheFixWhenTheSecretIsMissingShortOrUnreadable() throws Exception {
        assertThatThrownBy(() -> stack(A, new EncryptLayer(), settings(""), 1))
            .isInstanceOf(StackConfigException.class)
            .hasMessageContaining("secret-file").hasMessageContaining("/dev/urandom");
        final Path shortSecret = secret("short.key", 8);
        assertThatThrownBy(() -> member(A, shortSecret, 1))
            .isInstanceOf(StackConfigException.class)
            .hasMessageContaining(shortSecret.toString()).hasMessageContaining("holds 8 bytes");
        assertThatThrownBy(() -> member(A, dir.resolve("missing.key"), 1))
            .isInstanceOf(StackConfigException.class).hasMessageContaining("no such file");
    }

    @Test
    void shouldReadTheSecretFromAKeyStoreAndNameAWrongPassword() throws Exception {
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        final KeyGenerator gen = KeyGenerator.getInstance("AES");
        gen.init(256);
        final char[] pw = "changeit".toCharArray();
        ks.setEntry("cairn-group", new KeyStore.SecretKeyEntry(gen.generateKey()), new KeyStore.PasswordProtection(pw));
        final Path store = dir.resolve("group.p12");
        try (var out = Files.newOutputStream(store)) {
            ks.store(out, pw);
        }
        final Path pwFile = Files.writeString(dir.resolve("pw"), "changeit\n");
        final Path wrongPw = Files.writeString(dir.resolve("wrong"), "nope");
        final String base = "key-store = \"" + store + "\", key-store-password-file = ";

        final BareStack a = stack(A, new EncryptLayer(), settings(base + "\"" + pwFile + "\""), 1);
        final BareStack b = stack(B, new EncryptLayer(), settings(base + "\"" + pwFile + "\""), 2);
        introduce(a, b);
        b.receive(a.cast("from the store").lastFrame());
        assertThat(b.delivered).containsExactly("from the store");

        assertThatThrownBy(() -> stack(A, new EncryptLayer(), settings(base + "\"" + wrongPw + "\""), 1))
            .isInstanceOf(StackConfigException.class)
            .hasMessageContaining("key-store-password-file").hasMessageContaining("does not open");
    }

    @Test
    void shouldRefuseAStackWhenTheSealIsNotTheBottomLayer() throws Exception {
        final Path s = secret("group.key", 32);
        final List<StackParams.LayerEntry> layers = List.of(
            new StackParams.LayerEntry("probe", new Layer() {
                @Override
                public int layerId() {
                    return 999;
                }
            }, ConfigFactory.empty()),
            new StackParams.LayerEntry("encrypt", new EncryptLayer(), settings("secret-file = \"" + s + "\"")));
        assertThatThrownBy(() -> new BareStack(A, VIEW, layers, 1, 1500))
            .hasMessageContaining("'encrypt' seals frames, so it must be the bottom layer");
    }
}
