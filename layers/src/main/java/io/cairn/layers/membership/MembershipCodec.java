package io.cairn.layers.membership;

import io.cairn.stack.wire.FrameHeader;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.api.ViewId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Control frames of the membership layer. Little-endian; variable length, every length checked before use
 * ({@link Reader} returns null on anything malformed, names that are not well-formed UTF-8 included, instead of
 * throwing).
 *
 * <pre>
 *  member  = name length (8) | name (UTF-8) | incarnation (32)
 *  members = count (16) | member...
 *  view    = epoch (64) | coordinator: member | members | primary (8)
 *
 *  JOIN     1 | member                     (a newcomer, multicast until installed)
 *  LEAVE    2 | member                     (multicast until excluded)
 *  PREPARE  3 | attempt (64) | view tag (64) | survivors: members | next: members
 *  INSTALL  4 | attempt (64) | previous epoch (64) | joiners: members | view
 *  ACK      5 | epoch (64)                 (INSTALL received)
 *  REJECT   6 | member                     (this incarnation was removed from a view: rejoin as a new one)
 *  WAIT     7 | epoch (64)                 (to a JOIN: a view of this epoch exists, do not found a group)
 * </pre>
 */
final class MembershipCodec {
    static final byte JOIN = 1;
    static final byte LEAVE = 2;
    static final byte PREPARE = 3;
    static final byte INSTALL = 4;
    static final byte ACK = 5;
    static final byte REJECT = 6;
    static final byte WAIT = 7;
    static final int MAX_NAME = 255;
    static final int MAX_MEMBERS = 4096;

    private MembershipCodec() {
    }

    /** Writes into a growable scratch array, then copied into a control frame. */
    static final class Writer {
        private byte[] bytes = new byte[256];
        private int length;

        Writer reset(final byte type) {
            length = 0;
            return i8(type);
        }

        Writer i8(final int v) {
            ensure(1);
            bytes[length++] = (byte) v;
            return this;
        }

        Writer i16(final int v) {
            ensure(2);
            bytes[length++] = (byte) v;
            bytes[length++] = (byte) (v >>> 8);
            return this;
        }

        Writer i32(final int v) {
            i16(v & 0xFFFF);
            return i16(v >>> 16);
        }

        Writer i64(final long v) {
            i32((int) v);
            return i32((int) (v >>> 32));
        }

        Writer member(final MemberId m) {
            final byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_NAME) {
                throw new IllegalArgumentException("member name longer than " + MAX_NAME + " bytes: " + m);
            }
            i8(name.length);
            ensure(name.length);
            System.arraycopy(name, 0, bytes, length, name.length);
            length += name.length;
            return i32(m.incarnation());
        }

        Writer members(final List<MemberId> ms) {
            i16(ms.size());
            ms.forEach(this::member);
            return this;
        }

        Writer view(final View v) {
            i64(v.id().epoch());
            member(v.id().coordinator());
            members(v.members());
            return i8(v.primary() ? 1 : 0);
        }

        int length() {
            return length;
        }

        void copyTo(final MutableDirectBuffer b, final int o) {
            b.putBytes(o, bytes, 0, length);
        }

        private void ensure(final int n) {
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }
    }

    /** Reads a frame body; any read past the end marks the reader bad and returns defaults. */
    static final class Reader {
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private DirectBuffer b;
        private int at;
        private int end;
        private boolean bad;

        Reader wrap(final DirectBuffer buffer, final int offset, final int length) {
            this.b = buffer;
            this.at = offset;
            this.end = offset + length;
            this.bad = false;
            return this;
        }

        boolean ok() {
            return !bad;
        }

        boolean atEnd() {
            return at == end;
        }

        private boolean need(final int n) {
            if (bad || at + n > end) {
                bad = true;
                return false;
            }
            return true;
        }

        int i8() {
            return need(1) ? b.getByte(at++) & 0xFF : 0;
        }

        int i16() {
            if (!need(2)) {
                return 0;
            }
            final int v = b.getShort(at, FrameHeader.ORDER) & 0xFFFF;
            at += 2;
            return v;
        }

        int i32() {
            if (!need(4)) {
                return 0;
            }
            final int v = b.getInt(at, FrameHeader.ORDER);
            at += 4;
            return v;
        }

        long i64() {
            if (!need(8)) {
                return 0;
            }
            final long v = b.getLong(at, FrameHeader.ORDER);
            at += 8;
            return v;
        }

        MemberId member() {
            final int len = i8();
            if (len == 0 || !need(len)) {
                bad = true;
                return null;
            }
            final byte[] name = new byte[len];
            b.getBytes(at, name);
            at += len;
            final int inc = i32();
            if (bad) {
                return null;
            }
            try {
                // Strict: a lenient decode turns each malformed byte into U+FFFD, three bytes when the member is
                // written again, so a 255-byte name could come back as one the Writer refuses (found by fuzzing).
                return new MemberId(utf8.decode(ByteBuffer.wrap(name)).toString(), inc);
            } catch (final CharacterCodingException | IllegalArgumentException e) {
                bad = true;
                return null;
            }
        }

        List<MemberId> members() {
            final int n = i16();
            if (n > MAX_MEMBERS || !need(n * 6)) {
                bad = true;
                return List.of();
            }
            final List<MemberId> out = new ArrayList<>(n);
            for (int i = 0; i < n && !bad; i++) {
                out.add(member());
            }
            return bad ? List.of() : out;
        }

        View view() {
            final long epoch = i64();
            final MemberId coord = member();
            final List<MemberId> ms = members();
            final boolean primary = i8() == 1;
            if (bad || ms.isEmpty() || epoch < 0) {
                bad = true;
                return null;
            }
            try {
                return new View(new ViewId(epoch, coord), ms, primary);
            } catch (final IllegalArgumentException e) {
                bad = true;
                return null;
            }
        }
    }
}
