package io.cairn.layers.encrypt;

import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.FrameSeal;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.wire.FrameHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** AES-GCM over whole frames with replay rejection. See the package documentation. */
@LayerSpec(name = "encrypt", id = EncryptLayer.ID, position = 50, provides = {"encryption", "authentication"})
public final class EncryptLayer implements Layer, FrameSeal {
    /** Layer id of encrypt (it sends no control frames of its own). */
    public static final int ID = 70;
    /**
     * Offset of the sealer's member key, right after the clear frame header. Not the header's sender: a member
     * that forwards another's message (a retransmission, a flush) keeps the original sender there and seals the
     * frame itself.
     */
    static final int SEALER_OFFSET = FrameHeader.SEALER_OFFSET;
    /** Offset of the sealer's session id. */
    static final int SESSION_OFFSET = SEALER_OFFSET + 8;
    /** Offset of the frame counter. */
    static final int COUNTER_OFFSET = SESSION_OFFSET + 8;
    /** Offset of the ciphertext: the plain frame's bytes after its header. */
    static final int CIPHERTEXT_OFFSET = COUNTER_OFFSET + 8;
    /** GCM tag length. */
    static final int TAG_LENGTH = 16;
    /** Bytes a sealed frame adds: sealer, session, counter, tag. */
    static final int OVERHEAD = CIPHERTEXT_OFFSET - FrameHeader.LENGTH + TAG_LENGTH;
    /** Sessions of one sender remembered as ended, so that their frames are refused as replays. */
    private static final int RETIRED = 4;
    /** Associated data: the clear header, session and counter as sent, and the destination (0: multicast). */
    private static final int AAD_LENGTH = CIPHERTEXT_OFFSET + 8;
    /** Senders whose session is being verified at once; more wait (their frames dropped) until one finishes. */
    private static final int MAX_PENDING = 1024;

    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[AAD_LENGTH];
    private final Long2ObjectHashMap<Peer> peers = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private long challengeIntervalNs;
    private long challenges;
    private LayerContext ctx;
    private Settings settings;
    private FrameKeys keys;
    private Cipher encrypt;
    private Cipher decrypt;
    private SecretKeySpec ownKey;
    private long self;
    private long session;
    private long counter;
    private int windowSize;
    private byte[] in = new byte[0];
    private byte[] out = new byte[0];
    private Counter sealed;
    private Counter opened;
    private Counter forged;
    private Counter replayed;
    private Counter sessions;
    private Counter unverified;
    private Counter challengesSent;

    /** What is known of one sender: its current session's key and window, and its ended sessions. */
    private static final class Peer {
        long session;
        SecretKeySpec key;
        ReplayWindow window;
        final long[] retired = new long[RETIRED];
        int retiredCount;

        boolean isRetired(final long s) {
            for (int i = 0; i < Math.min(retiredCount, RETIRED); i++) {
                if (retired[i] == s) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A sender session heard but not yet verified live: the challenge sent to it. */
    private static final class Pending {
        long session;
        SecretKeySpec key;
        long challenge;
        long sentNs;
        /** The highest counter of this session dropped while unverified: refused from then on, like a replay. */
        long dropped;
    }

    @Override
    public void configure(final Settings s) {
        challengeIntervalNs = s.durationNs("challenge-interval", Settings.MICROSECOND, Settings.HOUR);
        windowSize = s.intIn("replay-window", 64, 1 << 20);
        s.require(windowSize % 64 == 0, "replay-window", "must be a multiple of 64");
        GroupSecret.checkSources(s);
        settings = s;
    }

    @Override
    public void init(final LayerContext c) {
        // The secret is read when a stack starts, not when a stack file is checked: listing or explaining a
        // stack needs no secret, starting one fails on a missing or unreadable one with the setting named.
        final byte[] secret = GroupSecret.read(settings);
        keys = new FrameKeys(secret);
        Arrays.fill(secret, (byte) 0);
        ctx = c;
        self = c.self().key();
        session = c.sessionId();
        ownKey = keys.sessionKey(self, session);
        try {
            encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            decrypt = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (final GeneralSecurityException e) {
            // AES/GCM/NoPadding is required of every JDK.
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
        sealed = c.counter("frames_sealed");
        opened = c.counter("frames_opened");
        forged = c.counter("forged");
        replayed = c.counter("replayed");
        sessions = c.counter("sender_sessions");
        unverified = c.counter("unverified");
        challengesSent = c.counter("challenges_sent");
        // Its own frames come back on loopback: its session is live by definition.
        accept(null, self, session, ownKey);
    }

    @Override
    public int sealOverhead() {
        return OVERHEAD;
    }

    @Override
    public int seal(final DirectBuffer src, final int offset, final int length, final long destination,
                    final MutableDirectBuffer dst) {
        final int sealedLength = length + OVERHEAD;
        dst.putBytes(0, src, offset, FrameHeader.LENGTH);
        dst.putByte(FrameHeader.FLAGS_OFFSET, (byte) (dst.getByte(FrameHeader.FLAGS_OFFSET) | FrameHeader.FLAG_SEALED));
        dst.putInt(FrameHeader.FRAME_LENGTH_OFFSET, sealedLength, FrameHeader.ORDER);
        dst.putLong(SEALER_OFFSET, self, FrameHeader.ORDER);
        dst.putLong(SESSION_OFFSET, session, FrameHeader.ORDER);
        dst.putLong(COUNTER_OFFSET, ++counter, FrameHeader.ORDER);
        final int plain = length - FrameHeader.LENGTH;
        ensure(plain + TAG_LENGTH);
        dst.getBytes(0, aad, 0, CIPHERTEXT_OFFSET);
        putDestination(destination);
        src.getBytes(offset + FrameHeader.LENGTH, in, 0, plain);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, ownKey, new GCMParameterSpec(TAG_LENGTH * 8, nonce(counter)));
            encrypt.updateAAD(aad, 0, AAD_LENGTH);
            final int n = encrypt.doFinal(in, 0, plain, out, 0);
            dst.putBytes(CIPHERTEXT_OFFSET, out, 0, n);
        } catch (final GeneralSecurityException e) {
            // Only a broken JDK provider gets here: a fresh nonce under a valid AES key always seals.
            throw new IllegalStateException("sealing failed", e);
        }
        sealed.increment();
        return sealedLength;
    }

    @Override
    public int open(final DirectBuffer src, final int offset, final int length, final MutableDirectBuffer dst) {
        if (length < FrameHeader.LENGTH + OVERHEAD) {
            forged.increment();
            return FORGED;
        }
        final long sealer = src.getLong(offset + SEALER_OFFSET, FrameHeader.ORDER);
        final long s = src.getLong(offset + SESSION_OFFSET, FrameHeader.ORDER);
        final long n = src.getLong(offset + COUNTER_OFFSET, FrameHeader.ORDER);
        final Peer peer = peers.get(sealer);
        final boolean known = peer != null && peer.session == s;
        if (known ? !peer.window.isFresh(n) : peer != null && peer.isRetired(s)) {
            replayed.increment();
            return REPLAY;
        }
        if (n <= 0) {
            forged.increment();
            return FORGED;
        }
        final Pending p = pending.get(sealer);
        final SecretKeySpec key = known ? peer.key : p != null && p.session == s ? p.key : keys.sessionKey(sealer, s);
        final int flags = src.getByte(offset + FrameHeader.FLAGS_OFFSET);
        final int cipherLength = length - CIPHERTEXT_OFFSET;
        final int plain = cipherLength - TAG_LENGTH;
        ensure(cipherLength);
        src.getBytes(offset, aad, 0, CIPHERTEXT_OFFSET);
        putDestination((flags & FrameHeader.FLAG_UNICAST) != 0 ? self : 0);
        src.getBytes(offset + CIPHERTEXT_OFFSET, in, 0, cipherLength);
        try {
            decrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce(n)));
            decrypt.updateAAD(aad, 0, AAD_LENGTH);
            decrypt.doFinal(in, 0, cipherLength, out, 0);
        } catch (final GeneralSecurityException e) {
            // AEADBadTagException above all: wrong key, spoofed sender or sealer, changed header, body or destination.
            forged.increment();
            return FORGED;
        }
        final boolean ownControl = (flags & FrameHeader.FLAG_CONTROL) != 0
            && (src.getShort(offset + FrameHeader.LAYER_ID_OFFSET, FrameHeader.ORDER) & 0xFFFF) == ID;
        if (known) {
            peer.window.mark(n);
        } else if (!ownControl) {
            // Authentic, but possibly a capture from before this member started: verified live first.
            challenge(sealer, s, key, n);
            unverified.increment();
            return UNVERIFIED;
        }
        // This layer's own challenges and responses pass unverified: they are what verifies, and a replayed one
        // changes nothing (a response counts only for the challenge it echoes).
        dst.putBytes(0, aad, 0, FrameHeader.LENGTH);
        dst.putByte(FrameHeader.FLAGS_OFFSET, (byte) (flags & ~FrameHeader.FLAG_SEALED));
        dst.putInt(FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.LENGTH + plain, FrameHeader.ORDER);
        dst.putBytes(FrameHeader.LENGTH, out, 0, plain);
        opened.increment();
        return FrameHeader.LENGTH + plain;
    }

    /** Asks {@code sealer} whether session {@code s} is its live one, at most once per challenge interval. */
    private void challenge(final long sealer, final long s, final SecretKeySpec key, final long n) {
        Pending p = pending.get(sealer);
        if (p == null) {
            if (pending.size() >= MAX_PENDING) {
                return;
            }
            p = new Pending();
            pending.put(sealer, p);
            p.dropped = n;
        } else if (p.session == s) {
            // Sealed after the answer's floor but here before it (bundles, reordering): dropped all the same, so
            // a later copy must not count as new.
            p.dropped = Math.max(p.dropped, n);
            if (ctx.nowNs() - p.sentNs < challengeIntervalNs) {
                return;
            }
        } else {
            p.dropped = n;
        }
        p.session = s;
        p.key = key;
        // Unique across this member's restarts too (its session is), so an old response never matches.
        p.challenge = session + ++challenges;
        p.sentNs = ctx.nowNs();
        final Message m = ctx.allocateControl(EncryptControl.LENGTH);
        EncryptControl.write(m.buffer(), m.payloadOffset(), EncryptControl.CHALLENGE, s, p.challenge, 0);
        ctx.sendControl(m, sealer);
        challengesSent.increment();
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        if (m.payloadLength() < EncryptControl.LENGTH) {
            return;
        }
        final MutableDirectBuffer b = m.buffer();
        final int o = m.payloadOffset();
        final long s = EncryptControl.session(b, o);
        final byte type = EncryptControl.type(b, o);
        if (type == EncryptControl.CHALLENGE && s == session) {
            // Every frame sealed so far has a counter up to this one's, which is counter + 1.
            final Message r = c.allocateControl(EncryptControl.LENGTH);
            EncryptControl.write(r.buffer(), r.payloadOffset(), EncryptControl.RESPONSE, s,
                EncryptControl.challenge(b, o), counter);
            c.sendControl(r, m.sender());
        } else if (type == EncryptControl.RESPONSE) {
            final Pending p = pending.get(m.sender());
            if (p != null && p.session == s && p.challenge == EncryptControl.challenge(b, o)) {
                pending.remove(m.sender());
                accept(peers.get(m.sender()), m.sender(), s, p.key).window
                    .startAfter(Math.max(EncryptControl.floor(b, o) + 1, p.dropped));
            }
        }
    }

    /** The peer entry for an authentic frame of session {@code s}: new, or switched to a new session. */
    private Peer accept(final Peer known, final long sender, final long s, final SecretKeySpec key) {
        if (known != null && known.session == s) {
            return known;
        }
        final Peer p = known != null ? known : new Peer();
        if (known != null) {
            p.retired[p.retiredCount++ % RETIRED] = known.session;
        } else {
            peers.put(sender, p);
        }
        p.session = s;
        p.key = key;
        p.window = new ReplayWindow(windowSize);
        sessions.increment();
        return p;
    }

    private void putDestination(final long destination) {
        for (int i = 0; i < 8; i++) {
            aad[CIPHERTEXT_OFFSET + i] = (byte) (destination >>> (8 * i));
        }
    }

    private byte[] nonce(final long n) {
        for (int i = 0; i < 8; i++) {
            iv[i] = (byte) (n >>> (8 * i));
        }
        return iv;
    }

    private void ensure(final int bytes) {
        if (in.length < bytes) {
            // Grows to the largest frame seen, once: no allocation per frame after that.
            in = new byte[bytes];
            out = new byte[bytes];
        }
    }

    @Override
    public void dump(final StringBuilder b) {
        b.append("session=").append(Long.toHexString(session)).append(" counter=").append(counter)
            .append(" senders=").append(peers.size()).append(" verifying=").append(pending.size());
    }
}
