package io.cairn.layers;

import com.sun.management.ThreadMXBean;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.wire.FrameHeader;
import io.cairn.stack.wire.ViewTag;
import io.cairn.testkit.LayerHarness;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays fuzzer bytes against one layer in a {@link LayerHarness}, as a script of what a peer's layer (or anyone on
 * the network) could send it, and checks what CORRECTNESS F15/F16 ask of every decoder: nothing a layer handles
 * throws ({@code stack.handler_errors} stays 0; an {@link Error} escapes to the fuzzer), and what one input makes
 * the stack allocate is bounded, whatever its length fields say. Hangs are the fuzzer's {@code -timeout}.
 *
 * <pre>
 *  op (8) % 5   operands                                    action
 *  0 DATA       sender (8), flags (8), length (16), bytes   a data frame from a peer: the bytes are the layer's
 *                                                          header slot then the payload (flags bit 0 unicast,
 *                                                          bit 1 stamped with the next view's epoch)
 *  1 CONTROL    sender (8), length (16), bytes              a control frame to the layer, the bytes its body
 *  2 ADVANCE    n (8)                                       4 n ms of virtual time pass (timers fire)
 *  3 CAST       length (8), bytes                           the application casts the bytes
 *  4 RAW        length (16), bytes                          the bytes as a whole frame, with magic, version, group
 *                                                          and length patched so that it reaches the validator's
 *                                                          later checks
 * </pre>
 * Senders are {@code a}, {@code b}, {@code c} (the view) and {@code z} (a stranger), by the operand modulo 4.
 * Lengths beyond the input's end are cut to it. Little-endian, like the wire.
 */
public final class FuzzScript {
    /** Who a frame claims to come from. */
    public static final String[] SENDERS = {"a", "b", "c", "z"};
    /** The tag of the harness's static view of a, b and c, which control bodies name. */
    public static final long TAG = ViewTag.of(View.initial(
        List.of(new MemberId("a", 0), new MemberId("b", 0), new MemberId("c", 0))).id());
    /** Bound on what one input (at most a few KiB) may make the stack allocate, past the harness's own set-up. */
    private static final long ALLOCATION_BUDGET = 64L << 20;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int DATA = 0;
    private static final int CONTROL = 1;
    private static final int ADVANCE = 2;
    private static final int CAST = 3;
    private static final int RAW = 4;
    private static final int OPS = 5;

    private final byte[] in;
    private int at;

    private FuzzScript(final byte[] in) {
        this.in = in;
    }

    /**
     * Plays one input against a fresh harness and asserts the decoders' properties.
     *
     * @param input   the fuzzer's bytes
     * @param harness builds the harness around the layer under test
     */
    public static void run(final byte[] input, final Supplier<LayerHarness> harness) {
        long allocated = playOnce(input, harness);
        if (allocated >= ALLOCATION_BUDGET) {
            // The first run down a path loads (and when fuzzing instruments) classes on this thread: count again.
            allocated = playOnce(input, harness);
        }
        assertThat(allocated).as("bytes allocated for a %d-byte input", input.length).isLessThan(ALLOCATION_BUDGET);
    }

    /** @return the bytes this thread allocated playing the input, past the harness's set-up */
    private static long playOnce(final byte[] input, final Supplier<LayerHarness> harness) {
        try (LayerHarness h = harness.get()) {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            new FuzzScript(input).play(h);
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(h.runtime().stats().get("stack.handler_errors"))
                .as("a layer threw on these frames (see the WARNING above)").isZero();
            return allocated;
        }
    }

    private void play(final LayerHarness h) {
        while (at < in.length) {
            final int op = u8() % OPS;
            switch (op) {
                case DATA -> {
                    final String sender = SENDERS[u8() % SENDERS.length];
                    final int flags = u8();
                    final byte[] bytes = bytes(u16());
                    final int header = h.runtime().layers()[1].headerLength();
                    final long epoch = epoch(h) + ((flags & 2) != 0 ? 1 : 0);
                    h.fromPeer(sender, epoch, (flags & 1) != 0,
                        (b, o) -> b.putBytes(o, bytes, 0, Math.min(header, bytes.length)),
                        bytes.length > header ? Arrays.copyOfRange(bytes, header, bytes.length) : new byte[0]);
                }
                case CONTROL -> {
                    final String sender = SENDERS[u8() % SENDERS.length];
                    final byte[] body = bytes(u16());
                    h.controlFromPeer(sender, body.length, (b, o) -> b.putBytes(o, body));
                }
                case ADVANCE -> h.advance(4L * u8(), TimeUnit.MILLISECONDS);
                case CAST -> h.cast(bytes(u8()));
                case RAW -> {
                    final byte[] frame = bytes(u16());
                    if (frame.length >= FrameHeader.LENGTH) {
                        final UnsafeBuffer b = new UnsafeBuffer(frame);
                        b.putShort(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC, FrameHeader.ORDER);
                        b.putByte(FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
                        b.putInt(FrameHeader.GROUP_OFFSET, h.runtime().groupId(), FrameHeader.ORDER);
                        b.putInt(FrameHeader.FRAME_LENGTH_OFFSET, frame.length, FrameHeader.ORDER);
                    }
                    h.inject(new UnsafeBuffer(frame), frame.length);
                }
                default -> throw new IllegalStateException("op " + op);
            }
        }
    }

    private static long epoch(final LayerHarness h) {
        final View v = h.runtime().view();
        return v == null ? 0 : v.id().epoch();
    }

    private int u8() {
        return at < in.length ? in[at++] & 0xFF : 0;
    }

    private int u16() {
        return u8() | u8() << 8;
    }

    private byte[] bytes(final int length) {
        final int n = Math.min(length, in.length - at);
        final byte[] out = Arrays.copyOfRange(in, at, at + n);
        at += n;
        return out;
    }

    /** Writes scripts, for seed corpora: the ops above, in order. */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /**
         * @param sender           index in {@link #SENDERS}
         * @param flags            bit 0 unicast, bit 1 next epoch
         * @param headerAndPayload the layer's header slot, then the payload
         * @return this
         */
        public Builder data(final int sender, final int flags, final byte[] headerAndPayload) {
            out.write(DATA);
            out.write(sender);
            out.write(flags);
            return lengthAnd(headerAndPayload);
        }

        /**
         * @param sender index in {@link #SENDERS}
         * @param body   the control body
         * @return this
         */
        public Builder control(final int sender, final byte[] body) {
            out.write(CONTROL);
            out.write(sender);
            return lengthAnd(body);
        }

        /**
         * @param quarters virtual time in units of 4 ms (0..255)
         * @return this
         */
        public Builder advance(final int quarters) {
            out.write(ADVANCE);
            out.write(quarters);
            return this;
        }

        /**
         * @param payload at most 255 bytes
         * @return this
         */
        public Builder cast(final byte[] payload) {
            out.write(CAST);
            out.write(payload.length);
            out.writeBytes(payload);
            return this;
        }

        /**
         * @param frame a whole frame
         * @return this
         */
        public Builder raw(final byte[] frame) {
            out.write(RAW);
            return lengthAnd(frame);
        }

        /** @return the script */
        public byte[] bytes() {
            return out.toByteArray();
        }

        private Builder lengthAnd(final byte[] b) {
            out.write(b.length & 0xFF);
            out.write(b.length >>> 8);
            out.writeBytes(b);
            return this;
        }
    }

    /**
     * @param length bytes
     * @param writer writes a header or control body at offset 0
     * @return the bytes written
     */
    public static byte[] encode(final int length, final LayerHarness.HeaderWriter writer) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        writer.write(b, 0);
        return b.byteArray();
    }

    /**
     * @param parts byte arrays
     * @return them back to back
     */
    public static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
