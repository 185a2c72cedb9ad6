package io.cairn.stack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameHeaderTest {
    @Test
    void shouldRoundTripEveryField() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        final FrameHeader h = new FrameHeader().wrap(b, 8)
            .write(FrameHeader.FLAG_CONTROL, 0x12345678, -42L, 7L, 56, 901);
        assertThat(h.magic()).isEqualTo(FrameHeader.MAGIC);
        assertThat(h.version()).isEqualTo(FrameHeader.VERSION);
        assertThat(h.flags()).isEqualTo(FrameHeader.FLAG_CONTROL);
        assertThat(h.groupId()).isEqualTo(0x12345678);
        assertThat(h.sender()).isEqualTo(-42L);
        assertThat(h.viewTag()).isEqualTo(7L);
        assertThat(h.frameLength()).isEqualTo(56);
        assertThat(h.layerId()).isEqualTo(901);
        assertThat(FrameHeader.groupId(b, 8)).isEqualTo(0x12345678);
    }

    @Test
    void shouldMatchGoldenBytes() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FrameHeader.LENGTH]);
        new FrameHeader().wrap(b, 0).write(FrameHeader.FLAG_UNICAST, 0x01020304, 0x1112131415161718L,
            0x21L << 32 | 0xDEADBEEFL, 0x40, 0x0A0B);
        final byte[] golden = {
            (byte) 0x1E, (byte) 0xCA, 2, 2, 4, 3, 2, 1,
            0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,
            (byte) 0xEF, (byte) 0xBE, (byte) 0xAD, (byte) 0xDE, 0x21, 0, 0, 0,
            0x40, 0, 0, 0, 0x0B, 0x0A, 0, 0};
        assertThat(b.byteArray()).containsExactly(golden);
    }

    @Test
    void shouldHashGroupNamesStably() {
        assertThat(FrameHeader.groupIdOf("orders")).isEqualTo(FrameHeader.groupIdOf("orders"))
            .isNotEqualTo(FrameHeader.groupIdOf("orders2"));
        // FNV-1a 32 of "a" is 0xe40c292c: the id must not depend on the JVM.
        assertThat(FrameHeader.groupIdOf("a")).isEqualTo(0xe40c292c);
    }
}
