package io.cairn.stack.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.event.Message;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the frame header, {@link FrameValidator} (plain and sealed frames, the link peer transports
 * learn), {@link OriginSeqHeader} and {@link ViewTag} (CORRECTNESS F15/F16): arbitrary bytes are rejected with a
 * reason, never with an exception, and a frame the validator accepts has every property the layers rely on. Under
 * {@code mvn test} they replay the committed corpus; {@code JAZZER_FUZZ=1} fuzzes (see docs/fuzzing.md).
 */
class WireFuzzTest {
    private static final int GROUP = FrameHeader.groupIdOf("fuzz");
    private static final int MAX = 1500;
    /** The validator is called at an offset into a larger buffer, as transports do with a datagram of frames. */
    private static final int AT = 7;
    private static final View VIEW = View.initial(List.of(new MemberId("a", 0), new MemberId("b", 0),
        new MemberId("c", 0)));

    @FuzzTest(maxDuration = "60s")
    void frameValidator(final byte[] data) {
        // The reserved byte at 30 picks the headroom the receiving stack asks of data frames (32..287 bytes).
        final int headroom = FrameHeader.LENGTH + (data.length > 30 ? data[30] & 0xFF : 0);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[AT + data.length]);
        b.putBytes(AT, data);
        checkSealed(b, data);
        final FrameValidator.Reject reject = FrameValidator.check(b, AT, data.length, MAX, GROUP, headroom);
        final long peer = FrameValidator.linkPeer(b, AT, data.length, GROUP);
        if (reject != null) {
            if (peer != 0) {
                // A transport learns a peer only from a frame that is well formed for some stack of the group.
                assertThat(FrameValidator.check(b, AT, data.length, Integer.MAX_VALUE, GROUP, FrameHeader.LENGTH)
                    == null || FrameValidator.checkSealed(b, AT, data.length, Integer.MAX_VALUE, GROUP) == null)
                    .isTrue();
            }
            return;
        }
        assertThat(peer).as("a plain frame's link peer is its sender")
            .isEqualTo(b.getLong(AT + FrameHeader.SENDER_OFFSET, FrameHeader.ORDER));
        final FrameHeader h = new FrameHeader().wrap(b, AT);
        assertThat(data.length).isBetween(FrameHeader.LENGTH, MAX);
        assertThat(h.magic()).isEqualTo(FrameHeader.MAGIC);
        assertThat(h.version()).isEqualTo(FrameHeader.VERSION);
        assertThat(h.frameLength()).isEqualTo(data.length);
        assertThat(h.groupId()).isEqualTo(GROUP).isEqualTo(FrameHeader.groupId(b, AT));
        assertThat(h.flags() & ~(FrameHeader.FLAG_CONTROL | FrameHeader.FLAG_UNICAST)).isZero();
        if ((h.flags() & FrameHeader.FLAG_CONTROL) != 0) {
            assertThat(h.layerId()).isNotZero();
        } else {
            assertThat(h.layerId()).isZero();
            assertThat(data.length).isGreaterThanOrEqualTo(headroom);
        }
        assertThat(h.viewEpoch()).isEqualTo(ViewTag.epoch(h.viewTag())).isBetween(0L, 0xFFFF_FFFFL);
    }

    /** What may be checked of a sealed frame before it is opened: the clear header, and nothing beyond it is read. */
    private static void checkSealed(final UnsafeBuffer b, final byte[] data) {
        final FrameValidator.Reject sealed = FrameValidator.checkSealed(b, AT, data.length, MAX, GROUP);
        if (sealed == null) {
            final FrameHeader h = new FrameHeader().wrap(b, AT);
            assertThat(data.length).isBetween(FrameHeader.LENGTH, MAX);
            assertThat(h.magic()).isEqualTo(FrameHeader.MAGIC);
            assertThat(h.version()).isEqualTo(FrameHeader.VERSION);
            assertThat(h.frameLength()).isEqualTo(data.length);
            assertThat(h.groupId()).isEqualTo(GROUP);
            assertThat(h.flags() & FrameHeader.FLAG_SEALED).isNotZero();
            final long peer = FrameValidator.linkPeer(b, AT, data.length, GROUP);
            if (data.length >= FrameHeader.SEALER_OFFSET + 8) {
                assertThat(peer).as("a sealed frame's link peer is its sealer")
                    .isEqualTo(b.getLong(AT + FrameHeader.SEALER_OFFSET, FrameHeader.ORDER));
            } else {
                assertThat(peer).isZero();
            }
        }
    }

    @Test
    void shouldMatchFrameValidatorSeedsWhenEncodersUnchanged() throws IOException {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("data", frame(0, 0, 64));
        seeds.put("unicast", frame(FrameHeader.FLAG_UNICAST, 0, 40));
        seeds.put("control", frame(FrameHeader.FLAG_CONTROL, 12, 41));
        seeds.put("header-only", frame(0, 0, FrameHeader.LENGTH));
        final byte[] sealed = frame(FrameHeader.FLAG_SEALED, 0, 80);
        new UnsafeBuffer(sealed).putLong(FrameHeader.SEALER_OFFSET, 1234, FrameHeader.ORDER);
        for (final byte[] s : seeds.values()) {
            assertThat(FrameValidator.check(new UnsafeBuffer(s), 0, s.length, MAX, GROUP, FrameHeader.LENGTH))
                .isNull();
        }
        assertThat(FrameValidator.checkSealed(new UnsafeBuffer(sealed), 0, sealed.length, MAX, GROUP)).isNull();
        seeds.put("sealed", sealed);
        SeedCorpus.check(WireFuzzTest.class, "frameValidator", seeds);
    }

    /**
     * The input is a frame header (sender), then an origin-sequence header. The property: the origin is a rank of
     * the view or -1, and an accepted frame names its origin as sender (a copy becomes its multicast).
     */
    @FuzzTest(maxDuration = "60s")
    void originSeqHeader(final byte[] data) {
        final int length = FrameHeader.LENGTH + OriginSeqHeader.LENGTH;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        b.putBytes(0, data, 0, Math.min(data.length, length));
        final Message m = new Message().wrap(b, 0, length, length);
        final boolean copy = OriginSeqHeader.isCopy(b, FrameHeader.LENGTH);
        final int origin = OriginSeqHeader.resolveOrigin(m, FrameHeader.LENGTH, VIEW);
        if (origin == -1) {
            return;
        }
        assertThat(origin).isBetween(0, VIEW.size() - 1);
        assertThat(m.sender()).isEqualTo(VIEW.members().get(origin).key());
        assertThat(OriginSeqHeader.isCopy(b, FrameHeader.LENGTH)).isFalse();
        assertThat(OriginSeqHeader.seq(b, FrameHeader.LENGTH)).isNotNegative();
        if (copy) {
            assertThat(m.isUnicast()).as("a copy is delivered as its origin's multicast").isFalse();
        }
    }

    @Test
    void shouldMatchOriginSeqHeaderSeedsWhenEncodersUnchanged() throws IOException {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("original", originSeq(VIEW.members().get(1).key(), 5, 1, 0));
        seeds.put("copy", originSeq(VIEW.members().get(2).key(), 9, 0, OriginSeqHeader.FLAG_COPY));
        SeedCorpus.check(WireFuzzTest.class, "originSeqHeader", seeds);
    }

    /** Any 12 bytes: an epoch (32 bits) and a coordinator key; the tag names that epoch and that coordinator. */
    @FuzzTest(maxDuration = "60s")
    void viewTag(final byte[] data) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        b.putBytes(0, data, 0, Math.min(data.length, 12));
        final long epoch = b.getInt(0, FrameHeader.ORDER) & 0xFFFF_FFFFL;
        final long key = b.getLong(4, FrameHeader.ORDER);
        final long tag = ViewTag.of(epoch, key);
        assertThat(ViewTag.epoch(tag)).isEqualTo(epoch);
        assertThat(ViewTag.of(epoch, key + 1)).as("the coordinator is part of the tag").isNotEqualTo(tag);
    }

    @Test
    void shouldMatchViewTagSeedsWhenEncodersUnchanged() throws IOException {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        b.putInt(0, 3, FrameHeader.ORDER);
        b.putLong(4, VIEW.members().get(0).key(), FrameHeader.ORDER);
        SeedCorpus.check(WireFuzzTest.class, "viewTag", Map.of("epoch-3", b.byteArray()));
    }

    private static byte[] frame(final int flags, final int layerId, final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        new FrameHeader().wrap(b, 0).write(flags, GROUP, VIEW.members().get(1).key(), ViewTag.of(VIEW.id()), length,
            layerId);
        return b.byteArray();
    }

    private static byte[] originSeq(final long sender, final long seq, final int origin, final int flags) {
        final byte[] f = frame(0, 0, FrameHeader.LENGTH + OriginSeqHeader.LENGTH);
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putLong(FrameHeader.SENDER_OFFSET, sender, FrameHeader.ORDER);
        OriginSeqHeader.write(b, FrameHeader.LENGTH, seq, origin, flags);
        return f;
    }
}
