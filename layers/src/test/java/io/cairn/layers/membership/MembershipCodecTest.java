package io.cairn.layers.membership;

import io.cairn.api.MemberId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class MembershipCodecTest {
    /** A JOIN whose name is {@code n} bytes 0xA7: a UTF-8 continuation byte alone, so never well formed. */
    private static byte[] joinWithMalformedName(final int n) {
        final byte[] body = new byte[2 + n + 4];
        body[0] = MembershipCodec.JOIN;
        body[1] = (byte) n;
        Arrays.fill(body, 2, 2 + n, (byte) 0xA7);
        return body;
    }

    @Test
    void shouldRejectMemberWhenNameIsNotWellFormedUtf8() {
        // Found by MembershipFuzzTest#codec (regression-join-name-not-utf8): decoded leniently, 150 such bytes made a
        // 150-character name that the Writer, at 3 bytes a character, refused to write into the next PREPARE.
        final byte[] body = joinWithMalformedName(150);
        final MembershipCodec.Reader r = new MembershipCodec.Reader().wrap(new UnsafeBuffer(body), 0, body.length);
        assertThat(r.i8()).isEqualTo(MembershipCodec.JOIN);
        assertThat(r.member()).isNull();
        assertThat(r.ok()).isFalse();
    }

    @Test
    void shouldReadMemberWhenNameIsMultiByteUtf8() {
        final MemberId m = new MemberId("n\u00e9\u20ac\uD83D\uDE00", 3);
        final MembershipCodec.Writer w = new MembershipCodec.Writer().reset(MembershipCodec.JOIN).member(m);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[w.length()]);
        w.copyTo(b, 0);
        final MembershipCodec.Reader r = new MembershipCodec.Reader().wrap(b, 0, w.length());
        assertThat(r.i8()).isEqualTo(MembershipCodec.JOIN);
        assertThat(r.member()).isEqualTo(m);
        assertThat(r.ok() && r.atEnd()).isTrue();
    }
}
