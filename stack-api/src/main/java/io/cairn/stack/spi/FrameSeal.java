package io.cairn.stack.spi;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A bottom layer that seals every frame the stack sends and opens every frame it receives: data and control frames
 * alike, since control frames bypass the layers below their own (see {@link LayerContext#castControl}). The runtime
 * calls it between the transport and the stack, on the stack's thread; only the bottom layer of a stack may be one.
 *
 * <p>A sealed frame keeps the fixed frame header in the clear, with {@code FrameHeader.FLAG_SEALED} set and the
 * sealed length in its length field, so transports can frame and demultiplex it; the next 8 bytes are the sealing
 * member's key ({@code FrameHeader.SEALER_OFFSET}, where transports learn addresses); everything else is the seal's.
 * Layers above see {@link LayerContext#maxFrameLength()} reduced by {@link #sealOverhead()}.
 */
public interface FrameSeal {
    /** {@link #open} result: the frame failed authentication or is malformed (forged, corrupted, wrong key). */
    int FORGED = -1;
    /** {@link #open} result: authentic, but already received or older than the replay window. */
    int REPLAY = -2;
    /**
     * {@link #open} result: authentic, but of a sender session not yet shown to be live (it could be a capture from
     * before this member started); dropped until the seal has verified it, then recovered like a lost frame.
     */
    int UNVERIFIED = -3;
    /** {@link #open} result: sealed under a key this member does not hold (not yet, or not any more). */
    int NO_KEY = -4;

    /** @return how many bytes sealing adds to a frame */
    int sealOverhead();

    /**
     * Seals a complete plain frame (its header finished) into {@code dst} at offset 0.
     *
     * @param src    the plain frame's buffer
     * @param offset frame start
     * @param length frame length
     * @param destination the member key a unicast goes to (bound into the seal, so that it opens nowhere else), or
     *                    0 for a multicast
     * @param dst    where to write the sealed frame; holds at least {@code length + sealOverhead()} bytes
     * @return the sealed length
     */
    int seal(DirectBuffer src, int offset, int length, long destination, MutableDirectBuffer dst);

    /**
     * Opens a sealed frame into {@code dst} at offset 0: the plain frame, with the flag cleared and its own length
     * in the header. Never throws on bad input: it returns {@link #FORGED}, {@link #REPLAY}, {@link #UNVERIFIED} or
     * {@link #NO_KEY}.
     *
     * @param src    the sealed frame's buffer
     * @param offset frame start
     * @param length sealed length (the header's length field has been checked against it)
     * @param dst    where to write the plain frame; holds at least {@code length} bytes
     * @return the plain length, or {@link #FORGED} / {@link #REPLAY} / {@link #UNVERIFIED} / {@link #NO_KEY}
     */
    int open(DirectBuffer src, int offset, int length, MutableDirectBuffer dst);
}
