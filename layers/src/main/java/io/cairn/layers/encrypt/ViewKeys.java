package io.cairn.layers.encrypt;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/**
 * The keys of views: this member's X25519 key pair (one per session), the view keys it holds (the newest
 * {@value #HELD}, by view tag, each with the frame keys derived from it and, for views it installed, their members),
 * and the wrapping of a view key for one member under their pairwise X25519 secret (HKDF-SHA256, then AES-GCM with
 * the view tag as nonce and associated data). I/O-free.
 */
final class ViewKeys {
    /** Length of a public key on the wire: X25519's u-coordinate, little-endian. */
    static final int PUBLIC_LENGTH = 32;
    /** Length of a view key. */
    static final int KEY_LENGTH = 32;
    /** Length of a wrapped view key: the key and a GCM tag. */
    static final int WRAPPED_LENGTH = KEY_LENGTH + 16;
    /** View keys held: frames sealed under an older one are refused. */
    static final int HELD = 4;
    private static final byte[] WRAP_SALT = "cairn-view-wrap-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final KeyPair pair;
    private final byte[] publicKey;
    private final long[] tags = new long[HELD];
    private final byte[][] raw = new byte[HELD][];
    private final FrameKeys[] frameKeys = new FrameKeys[HELD];
    private final long[][] members = new long[HELD][];
    private int next;

    /** @param random where the key pair comes from */
    ViewKeys(final SecureRandom random) {
        try {
            final KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            pair = g.generateKeyPair();
        } catch (final GeneralSecurityException e) {
            // X25519 is in every JDK since 11.
            throw new IllegalStateException("X25519 unavailable", e);
        }
        publicKey = encode(((XECPublicKey) pair.getPublic()).getU());
    }

    /** @return this member's public key ({@value #PUBLIC_LENGTH} bytes) */
    byte[] publicKey() {
        return publicKey;
    }

    /**
     * @param tag a view tag
     * @return the frame keys of that view's key, or null when not held
     */
    FrameKeys frameKeys(final long tag) {
        final int i = index(tag);
        return i < 0 ? null : frameKeys[i];
    }

    /**
     * @param tag a view tag
     * @return the view key, or null when not held
     */
    byte[] raw(final long tag) {
        final int i = index(tag);
        return i < 0 ? null : raw[i];
    }

    /**
     * @param tag    a view tag
     * @param member a member key
     * @return whether this member installed that view and {@code member} is in it
     */
    boolean isMember(final long tag, final long member) {
        final int i = index(tag);
        if (i < 0 || members[i] == null) {
            return false;
        }
        for (final long m : members[i]) {
            if (m == member) {
                return true;
            }
        }
        return false;
    }

    /**
     * Holds a view key (replacing the oldest held), or adds the members of one already held.
     *
     * @param tag        the view tag
     * @param key        the view key, or null to only record the members of a held one
     * @param memberKeys the view's members, or null when not installed here (yet)
     * @return whether the key is held now
     */
    boolean hold(final long tag, final byte[] key, final long[] memberKeys) {
        int i = index(tag);
        if (i < 0) {
            if (key == null) {
                return false;
            }
            i = next;
            next = (next + 1) % HELD;
            tags[i] = tag;
            raw[i] = key.clone();
            frameKeys[i] = new FrameKeys(key);
            members[i] = null;
        }
        if (memberKeys != null) {
            members[i] = memberKeys.clone();
        }
        return true;
    }

    private int index(final long tag) {
        for (int i = 0; i < HELD; i++) {
            if (raw[i] != null && tags[i] == tag) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Wraps a view key for one member.
     *
     * @param peerPublic the member's public key
     * @param ids        both ends, as {@link #ends}
     * @param tag        the view tag
     * @param key        the view key
     * @return {@value #WRAPPED_LENGTH} bytes, or null when the public key is unusable
     */
    byte[] wrap(final byte[] peerPublic, final byte[] ids, final long tag, final byte[] key) {
        return crypt(Cipher.ENCRYPT_MODE, peerPublic, ids, tag, key);
    }

    /**
     * @param peerPublic the wrapping member's public key
     * @param ids        both ends, as {@link #ends}
     * @param tag        the view tag
     * @param wrapped    what it sent
     * @return the view key, or null when it does not open
     */
    byte[] unwrap(final byte[] peerPublic, final byte[] ids, final long tag, final byte[] wrapped) {
        return crypt(Cipher.DECRYPT_MODE, peerPublic, ids, tag, wrapped);
    }

    /**
     * @return the two ends of a pairwise key, smaller member key first, each with its session: both ends derive the
     *     same wrapping key, and it is bound to both sessions
     */
    static byte[] ends(final long a, final long aSession, final long b, final long bSession) {
        final boolean aFirst = Long.compareUnsigned(a, b) < 0;
        final java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putLong(aFirst ? a : b).putLong(aFirst ? aSession : bSession).putLong(aFirst ? b : a)
            .putLong(aFirst ? bSession : aSession);
        return bb.array();
    }

    private byte[] crypt(final int mode, final byte[] peerPublic, final byte[] ids, final long tag,
                         final byte[] input) {
        try {
            final KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(pair.getPrivate());
            ka.doPhase(KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                decode(peerPublic))), true);
            final byte[] shared = ka.generateSecret();
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WRAP_SALT, "HmacSHA256"));
            final byte[] prk = mac.doFinal(shared);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(ids);
            mac.update((byte) 1);
            final byte[] wrapKey = mac.doFinal();
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(prk, (byte) 0);
            final byte[] nonce = new byte[12];
            final byte[] aad = new byte[8];
            for (int i = 0; i < 8; i++) {
                nonce[i] = (byte) (tag >>> (8 * i));
                aad[i] = nonce[i];
            }
            final Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(wrapKey, "AES"), new GCMParameterSpec(128, nonce));
            Arrays.fill(wrapKey, (byte) 0);
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            // A public key of the wrong form, or a wrapped key that does not open: the caller ignores the message.
            return null;
        }
    }

    private static byte[] encode(final BigInteger u) {
        final byte[] be = u.toByteArray();
        final byte[] le = new byte[PUBLIC_LENGTH];
        for (int i = 0; i < Math.min(be.length, PUBLIC_LENGTH + 1); i++) {
            final int from = be.length - 1 - i;
            if (i < PUBLIC_LENGTH) {
                le[i] = be[from];
            }
        }
        return le;
    }

    private static BigInteger decode(final byte[] le) {
        final byte[] be = new byte[PUBLIC_LENGTH + 1];
        for (int i = 0; i < PUBLIC_LENGTH; i++) {
            be[PUBLIC_LENGTH - i] = le[i];
        }
        return new BigInteger(be);
    }
}
