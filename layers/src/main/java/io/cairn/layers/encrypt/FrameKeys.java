package io.cairn.layers.encrypt;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Key derivation with HKDF-SHA256 (RFC 5869) from the group's secret: one pseudorandom key per group secret, and
 * from it one AES-256 key per sender session, so that every (sender, session) pair has a key of its own and a frame
 * counter is enough for a nonce that never repeats under a key. I/O-free.
 */
final class FrameKeys {
    /** HKDF-Extract salt: separates Cairn's frame keys from any other use of the same secret. */
    private static final byte[] SALT = "cairn-encrypt-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] INFO = "cairn frame key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Mac mac;
    private final byte[] info = new byte[INFO.length + 16 + 1];

    /** @param secret the group's secret (at least 16 bytes) */
    FrameKeys(final byte[] secret) {
        try {
            final Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(SALT, "HmacSHA256"));
            final byte[] prk = extract.doFinal(secret);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            Arrays.fill(prk, (byte) 0);
        } catch (final GeneralSecurityException e) {
            // HmacSHA256 is required of every JDK.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        System.arraycopy(INFO, 0, info, 0, INFO.length);
    }

    /**
     * HKDF-Expand to 32 bytes (one HMAC block) with info = label, sender key and session id (little-endian).
     *
     * @param sender  the sender's member key
     * @param session the sender's session id
     * @return the AES-256 key of that sender session
     */
    SecretKeySpec sessionKey(final long sender, final long session) {
        final int o = INFO.length;
        for (int i = 0; i < 8; i++) {
            info[o + i] = (byte) (sender >>> (8 * i));
            info[o + 8 + i] = (byte) (session >>> (8 * i));
        }
        info[o + 16] = 1;
        final byte[] okm = mac.doFinal(info);
        final SecretKeySpec key = new SecretKeySpec(okm, "AES");
        Arrays.fill(okm, (byte) 0);
        return key;
    }
}
