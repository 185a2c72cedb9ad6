package io.cairn.layers.encrypt;

import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.event.Message;
import io.cairn.stack.spi.Counter;
import io.cairn.stack.spi.FrameSeal;
import io.cairn.stack.spi.LayerContext;
import io.cairn.stack.spi.LayerSpec;
import io.cairn.stack.spi.PerViewLayer;
import io.cairn.stack.spi.Settings;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.ViewTag;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** AES-GCM over whole frames, replay rejection and per-view keys. See the package documentation. */
@LayerSpec(name = "encrypt", id = EncryptLayer.ID, position = 50, provides = {"encryption", "authentication"})
public final class EncryptLayer extends PerViewLayer implements FrameSeal {
    /** Layer id of encrypt's control frames (challenges, responses, view keys). */
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
    /** Offset of the key id: the tag of the view whose key sealed the frame, or 0 for the group secret's. */
    static final int KEY_ID_OFFSET = COUNTER_OFFSET + 8;
    /** Offset of the ciphertext: the plain frame's bytes after its header. */
    static final int CIPHERTEXT_OFFSET = KEY_ID_OFFSET + 8;
    /** GCM tag length. */
    static final int TAG_LENGTH = 16;
    /** Bytes a sealed frame adds: sealer, session, counter, key id, tag. */
    static final int OVERHEAD = CIPHERTEXT_OFFSET - FrameHeader.LENGTH + TAG_LENGTH;
    /** Sessions of one sender remembered as ended, so that their frames are refused as replays. */
    private static final int RETIRED = 4;
    /** Associated data: the clear part as sent (header to key id), and the destination (0: multicast). */
    private static final int AAD_LENGTH = CIPHERTEXT_OFFSET + 8;
    /** Senders whose session is being verified at once; more wait (their frames dropped) until one finishes. */
    private static final int MAX_PENDING = 1024;
    /** A pending session unanswered for this many challenge intervals may give way to another. */
    private static final int STALE_PENDING_INTERVALS = 20;
    /** Challenges to one session are repeated at most every {@code challenge-interval << MAX_BACKOFF}. */
    private static final int MAX_BACKOFF = 4;

    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[AAD_LENGTH];
    private final Long2ObjectHashMap<Peer> peers = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private long challengeIntervalNs;
    private boolean viewKeysOn;
    private long challenges;
    private ViewKeys views;
    /** The view key this member seals with (that of its view, once held), or 0 for the group secret's. */
    private long sealTag;
    private SecretKeySpec sealViewKey;
    private long[] viewMembers = new long[0];
    private long requestedTag;
    private long requestedNs;
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
    private Counter noKey;
    private Counter viewKeysMade;
    private Counter keysSent;
    private Counter keysReceived;
    /** The epoch of the view whose key seals this member's data (0: the group secret's). */
    private Counter sealingEpoch;

    /** What is known of one sender: its current session's key and window, and its ended sessions. */
    private static final class Peer {
        long session;
        SecretKeySpec key;
        /** Its session's X25519 public key, pinned by the response that verified the session. */
        byte[] publicKey;
        /** The last view key its frames came under, and its session key under it. */
        long viewTag;
        SecretKeySpec viewKey;
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
        /** Whether, and when, this session was first asked about, and how often the question was repeated. */
        boolean asked;
        long firstNs;
        int backoff;
    }

    @Override
    public void configure(final Settings s) {
        challengeIntervalNs = s.durationNs("challenge-interval", Settings.MICROSECOND, Settings.HOUR);
        viewKeysOn = s.flag("view-keys");
        windowSize = s.intIn("replay-window", 64, 1 << 20);
        s.require(windowSize % 64 == 0, "replay-window", "must be a multiple of 64");
        GroupSecret.checkSources(s);
        settings = s;
    }

    @Override
    protected void onInit(final LayerContext c) {
        // The secret is read when a stack starts, not when a stack file is checked: listing or explaining a
        // stack needs no secret, starting one fails on a missing or unreadable one with the setting named.
        final byte[] secret = GroupSecret.read(settings);
        keys = new FrameKeys(secret);
        Arrays.fill(secret, (byte) 0);
        ctx = c;
        self = c.self().key();
        // 64 random bits at every start: nonces never repeat under a key, even across restarts of one member.
        session = c.secureRandom().nextLong();
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
        noKey = c.counter("no_key");
        viewKeysMade = c.counter("view_keys_made");
        keysSent = c.counter("view_keys_sent");
        keysReceived = c.counter("view_keys_received");
        sealingEpoch = c.counter("gauge.view_key_epoch");
        views = new ViewKeys(c.secureRandom());
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
        // Data goes under the key of its view, once held; control frames (joins, installs, flushes, this layer's
        // own) under the group secret's, since members to be, without that view's key, must read them.
        final boolean data = (src.getByte(offset + FrameHeader.FLAGS_OFFSET) & FrameHeader.FLAG_CONTROL) == 0;
        final long keyId = data && sealTag != 0
            && src.getLong(offset + FrameHeader.VIEW_TAG_OFFSET, FrameHeader.ORDER) == sealTag ? sealTag : 0;
        dst.putLong(KEY_ID_OFFSET, keyId, FrameHeader.ORDER);
        final int plain = length - FrameHeader.LENGTH;
        ensure(plain + TAG_LENGTH);
        dst.getBytes(0, aad, 0, CIPHERTEXT_OFFSET);
        putDestination(destination);
        src.getBytes(offset + FrameHeader.LENGTH, in, 0, plain);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, keyId != 0 ? sealViewKey : ownKey,
                new GCMParameterSpec(TAG_LENGTH * 8, nonce(counter)));
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
        if (sealer == self && s != session) {
            // Sealed under this member's key by another run of it: a capture replayed, never a live peer.
            replayed.increment();
            return REPLAY;
        }
        if (known ? !peer.window.isFresh(n) : peer != null && peer.isRetired(s)) {
            replayed.increment();
            return REPLAY;
        }
        if (n <= 0) {
            forged.increment();
            return FORGED;
        }
        final Pending p = pending.get(sealer);
        final SecretKeySpec groupKey = known ? peer.key : p != null && p.session == s ? p.key
            : keys.sessionKey(sealer, s);
        final long keyId = src.getLong(offset + KEY_ID_OFFSET, FrameHeader.ORDER);
        final SecretKeySpec key;
        if (keyId == 0) {
            key = groupKey;
        } else if (known && peer.viewTag == keyId) {
            key = peer.viewKey;
        } else {
            final FrameKeys viewKeys = views.frameKeys(keyId);
            if (viewKeys == null) {
                if (known) {
                    requestKey(sealer, keyId);
                }
                noKey.increment();
                return NO_KEY;
            }
            key = viewKeys.sessionKey(sealer, s);
            if (known) {
                peer.viewTag = keyId;
                peer.viewKey = key;
            }
        }
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
            challenge(sealer, s, groupKey, n);
            unverified.increment();
            return UNVERIFIED;
        }
        // This layer's own challenges and responses pass unverified: they are what verifies, and a replayed one
        // changes nothing (a response counts only for the challenge it echoes).
        dst.putBytes(0, aad, 0, FrameHeader.LENGTH);
        dst.putByte(FrameHeader.FLAGS_OFFSET, (byte) (flags & ~FrameHeader.FLAG_SEALED));
        dst.putInt(FrameHeader.FRAME_LENGTH_OFFSET, FrameHeader.LENGTH + plain, FrameHeader.ORDER);
        dst.putBytes(FrameHeader.LENGTH, out, 0, plain);
        if (!known) {
            // Its sealer is worth verifying: for its public key, and for the data it will seal under a view key,
            // which cannot prompt a challenge since it cannot be opened without that key. After the copy above:
            // sealing the challenge reuses this layer's buffers.
            challenge(sealer, s, groupKey, 0);
        }
        opened.increment();
        return FrameHeader.LENGTH + plain;
    }

    /** Asks {@code sealer} whether session {@code s} is its live one, at most once per challenge interval. */
    private void challenge(final long sealer, final long s, final SecretKeySpec key, final long n) {
        final long now = ctx.nowNs();
        Pending p = pending.get(sealer);
        if (p == null) {
            if (pending.size() >= MAX_PENDING && !evictStalePending(now)) {
                return;
            }
            p = new Pending();
            pending.put(sealer, p);
            p.session = s;
            p.key = key;
            p.dropped = n;
            // Unique across this member's restarts too (its session is), so an old response never matches.
            p.challenge = session + ++challenges;
        } else if (p.session == s) {
            // Sealed after the answer's floor but here before it (bundles, reordering): dropped all the same, so
            // a later copy must not count as new.
            p.dropped = Math.max(p.dropped, n);
        } else if (now - p.firstNs < STALE_PENDING_INTERVALS * challengeIntervalNs) {
            // Another session of the same member while one is being asked about (a replay of an earlier run,
            // perhaps): it waits until that one has had its chance, so replays cannot keep a live one unverified.
            return;
        } else {
            p.session = s;
            p.key = key;
            p.dropped = n;
            p.challenge = session + ++challenges;
            p.asked = false;
            p.backoff = 0;
        }
        if (!p.asked) {
            p.asked = true;
            p.firstNs = now;
        } else if (now - p.sentNs < challengeIntervalNs << p.backoff) {
            return;
        } else if (p.backoff < MAX_BACKOFF) {
            p.backoff++;
        }
        // The same challenge again, so an answer slower than the interval still counts.
        p.sentNs = now;
        final Message m = ctx.allocateControl(EncryptControl.LENGTH);
        EncryptControl.write(m.buffer(), m.payloadOffset(), EncryptControl.CHALLENGE, s, p.challenge, 0,
            views.publicKey());
        ctx.sendControl(m, sealer);
        challengesSent.increment();
    }

    /** Makes room for a new pending sender by dropping the one asked longest ago, if it has had its chance. */
    private boolean evictStalePending(final long now) {
        long oldestKey = 0;
        long oldestNs = Long.MAX_VALUE;
        for (final Long2ObjectHashMap<Pending>.KeyIterator it = pending.keySet().iterator(); it.hasNext(); ) {
            final long k = it.nextLong();
            final Pending q = pending.get(k);
            if (q.firstNs < oldestNs) {
                oldestNs = q.firstNs;
                oldestKey = k;
            }
        }
        if (now - oldestNs < STALE_PENDING_INTERVALS * challengeIntervalNs) {
            return false;
        }
        pending.remove(oldestKey);
        return true;
    }

    @Override
    public void onControl(final LayerContext c, final Message m) {
        if (m.payloadLength() < EncryptControl.LENGTH) {
            malformed();
            return;
        }
        final MutableDirectBuffer b = m.buffer();
        final int o = m.payloadOffset();
        final long a = EncryptControl.a(b, o);
        final long from = m.sender();
        switch (EncryptControl.type(b, o)) {
            case EncryptControl.CHALLENGE -> {
                if (a == session) {
                    // Every frame sealed so far has a counter up to this one's, which is counter + 1.
                    final Message r = c.allocateControl(EncryptControl.LENGTH);
                    EncryptControl.write(r.buffer(), r.payloadOffset(), EncryptControl.RESPONSE, a,
                        EncryptControl.b(b, o), counter, views.publicKey());
                    c.sendControl(r, from);
                }
            }
            case EncryptControl.RESPONSE -> {
                final Pending p = pending.get(from);
                if (p != null && p.session == a && p.challenge == EncryptControl.b(b, o)) {
                    pending.remove(from);
                    final Peer peer = accept(peers.get(from), from, a, p.key);
                    peer.window.startAfter(Math.max(Math.min(EncryptControl.c(b, o), ReplayWindow.MAX_COUNTER) + 1,
                        p.dropped));
                    peer.publicKey = EncryptControl.blob(b, o, ViewKeys.PUBLIC_LENGTH);
                    if (viewKeysOn && view() != null && view().coordinator().key() == self
                        && view().rankOfKey(from) >= 0) {
                        // A member verified after this coordinator installed the view gets its key now.
                        sendKey(from, ViewTag.of(view().id()));
                    }
                }
            }
            case EncryptControl.KEY -> onKey(from, a, EncryptControl.b(b, o), EncryptControl.blob(b, o,
                ViewKeys.WRAPPED_LENGTH));
            case EncryptControl.KEY_REQUEST -> {
                final Peer peer = peers.get(from);
                // Only a verified session, with the public key that verified it, and a member of that view.
                if (peer != null && peer.publicKey != null && Arrays.equals(peer.publicKey,
                    EncryptControl.blob(b, o, ViewKeys.PUBLIC_LENGTH)) && views.isMember(a, from)) {
                    sendKey(from, a);
                }
            }
            default -> malformed();
        }
    }

    @Override
    protected void onView(final LayerContext c, final View v) {
        final long tag = ViewTag.of(v.id());
        viewMembers = new long[v.size()];
        for (int i = 0; i < v.size(); i++) {
            viewMembers[i] = v.members().get(i).key();
        }
        if (!viewKeysOn) {
            return;
        }
        if (v.coordinator().key() == self && views.raw(tag) == null) {
            // A fresh key for every view, known only to its members: one that left cannot read what follows.
            final byte[] key = new byte[ViewKeys.KEY_LENGTH];
            c.secureRandom().nextBytes(key);
            views.hold(tag, key, viewMembers);
            Arrays.fill(key, (byte) 0);
            viewKeysMade.increment();
        } else {
            views.hold(tag, null, viewMembers);
        }
        useKeyOf(tag);
        if (v.coordinator().key() == self) {
            for (final MemberId m : v.members()) {
                if (m.key() != self) {
                    sendKey(m.key(), tag);
                }
            }
        }
    }

    /** Seals with the key of view {@code tag} if it is this member's view and the key is held. */
    private void useKeyOf(final long tag) {
        if (view() != null && ViewTag.of(view().id()) == tag && views.frameKeys(tag) != null) {
            sealTag = tag;
            sealViewKey = views.frameKeys(tag).sessionKey(self, session);
            sealingEpoch.set(ViewTag.epoch(tag));
        }
    }

    private void sendKey(final long to, final long tag) {
        final Peer peer = peers.get(to);
        final byte[] key = views.raw(tag);
        if (peer == null || peer.publicKey == null || key == null) {
            return;
        }
        final byte[] wrapped = views.wrap(peer.publicKey, ViewKeys.ends(self, session, to, peer.session), tag, key);
        if (wrapped != null) {
            final Message m = ctx.allocateControl(EncryptControl.LENGTH);
            EncryptControl.write(m.buffer(), m.payloadOffset(), EncryptControl.KEY, tag, peer.session, 0, wrapped);
            ctx.sendControl(m, to);
            keysSent.increment();
        }
    }

    private void onKey(final long from, final long tag, final long forSession, final byte[] wrapped) {
        final Peer peer = peers.get(from);
        if (!viewKeysOn || forSession != session || peer == null || peer.publicKey == null
            || views.frameKeys(tag) != null) {
            return;
        }
        final byte[] key = views.unwrap(peer.publicKey, ViewKeys.ends(self, session, from, peer.session), tag,
            wrapped);
        if (key != null) {
            final boolean mine = view() != null && ViewTag.of(view().id()) == tag;
            views.hold(tag, key, mine ? viewMembers : null);
            Arrays.fill(key, (byte) 0);
            keysReceived.increment();
            useKeyOf(tag);
        }
    }

    /** Asks the sealer of a frame for the key it used, at most once per challenge interval for a key. */
    private void requestKey(final long sealer, final long tag) {
        if (!viewKeysOn || tag == requestedTag && ctx.nowNs() - requestedNs < challengeIntervalNs) {
            return;
        }
        requestedTag = tag;
        requestedNs = ctx.nowNs();
        final Message m = ctx.allocateControl(EncryptControl.LENGTH);
        EncryptControl.write(m.buffer(), m.payloadOffset(), EncryptControl.KEY_REQUEST, tag, 0, 0,
            views.publicKey());
        ctx.sendControl(m, sealer);
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
