package io.cairn.stack.runtime;

import com.typesafe.config.Config;
import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.Transport;
import org.agrona.concurrent.NanoClock;

import java.util.List;

/**
 * Everything needed to run one assembled stack.
 *
 * @param groupName       the group's name
 * @param self            the local member
 * @param layers          the layers, bottom first
 * @param transport       the node's transport
 * @param clock           the time source (monotonic, or virtual in tests)
 * @param seed            seed of the stack's random generator
 * @param inboundBytes    capacity of the inbound frame ring, a power of two
 * @param commandBytes    capacity of the application command ring, a power of two
 * @param staticView      the fixed view of a stack without a membership layer, or null
 * @param listener        the top of the stack
 * @param observer        hook for rejected frames (trace recorder), or null
 * @param seeds           members to contact when joining (a membership stack's configured members)
 * @param initialRingBytes first size of the inbound and command rings, which grow up to theirs (0: start full)
 * @param secureSession   whether the stack's secrets ({@code LayerContext.secureRandom}) come from the JDK's
 *                        {@code SecureRandom} (a node) rather than from the seed (deterministic runs)
 * @param peers           the node's table of peer liveness, shared by its stacks (null: a table of the stack's own)
 */
public record StackParams(
    String groupName,
    MemberId self,
    List<LayerEntry> layers,
    Transport transport,
    NanoClock clock,
    long seed,
    int inboundBytes,
    int commandBytes,
    View staticView,
    StackListener listener,
    StackObserver observer,
    List<MemberId> seeds,
    int initialRingBytes,
    boolean secureSession,
    PeerTable peers) {

    /** Copies the lists. */
    public StackParams {
        layers = List.copyOf(layers);
        seeds = List.copyOf(seeds);
    }

    /**
     * Parameters of a stack that shares peer liveness with no other.
     *
     * @param groupName        the group's name
     * @param self             the local member
     * @param layers           the layers, bottom first
     * @param transport        the node's transport
     * @param clock            the time source
     * @param seed             seed of the random generator
     * @param inboundBytes     inbound ring capacity
     * @param commandBytes     command ring capacity
     * @param staticView       static view or null
     * @param listener         the top of the stack
     * @param observer         frame observer or null
     * @param seeds            configured members
     * @param initialRingBytes first ring size (0: start full)
     * @param secureSession    secrets from the JDK's SecureRandom rather than the seed
     */
    public StackParams(final String groupName, final MemberId self, final List<LayerEntry> layers,
                       final Transport transport, final NanoClock clock, final long seed, final int inboundBytes,
                       final int commandBytes, final View staticView, final StackListener listener,
                       final StackObserver observer, final List<MemberId> seeds, final int initialRingBytes,
                       final boolean secureSession) {
        this(groupName, self, layers, transport, clock, seed, inboundBytes, commandBytes, staticView, listener,
            observer, seeds, initialRingBytes, secureSession, null);
    }

    /**
     * Deterministic parameters: the session id comes from the seed.
     *
     * @param groupName        the group's name
     * @param self             the local member
     * @param layers           the layers, bottom first
     * @param transport        the node's transport
     * @param clock            the time source
     * @param seed             seed of the random generator
     * @param inboundBytes     inbound ring capacity
     * @param commandBytes     command ring capacity
     * @param staticView       static view or null
     * @param listener         the top of the stack
     * @param observer         frame observer or null
     * @param seeds            configured members
     * @param initialRingBytes first ring size (0: start full)
     */
    public StackParams(final String groupName, final MemberId self, final List<LayerEntry> layers,
                       final Transport transport, final NanoClock clock, final long seed, final int inboundBytes,
                       final int commandBytes, final View staticView, final StackListener listener,
                       final StackObserver observer, final List<MemberId> seeds, final int initialRingBytes) {
        this(groupName, self, layers, transport, clock, seed, inboundBytes, commandBytes, staticView, listener,
            observer, seeds, initialRingBytes, false);
    }

    /**
     * Parameters whose rings start at their full size ({@code initialRingBytes} 0).
     *
     * @param groupName    the group's name
     * @param self         the local member
     * @param layers       the layers, bottom first
     * @param transport    the node's transport
     * @param clock        the time source
     * @param seed         seed of the random generator
     * @param inboundBytes inbound ring capacity
     * @param commandBytes command ring capacity
     * @param staticView   static view or null
     * @param listener     the top of the stack
     * @param observer     frame observer or null
     * @param seeds        configured members
     */
    public StackParams(final String groupName, final MemberId self, final List<LayerEntry> layers,
                       final Transport transport, final NanoClock clock, final long seed, final int inboundBytes,
                       final int commandBytes, final View staticView, final StackListener listener,
                       final StackObserver observer, final List<MemberId> seeds) {
        this(groupName, self, layers, transport, clock, seed, inboundBytes, commandBytes, staticView, listener,
            observer, seeds, 0);
    }

    /**
     * Parameters without seed members.
     *
     * @param groupName    the group's name
     * @param self         the local member
     * @param layers       the layers, bottom first
     * @param transport    the node's transport
     * @param clock        the time source
     * @param seed         seed of the random generator
     * @param inboundBytes inbound ring capacity
     * @param commandBytes command ring capacity
     * @param staticView   static view or null
     * @param listener     the top of the stack
     * @param observer     frame observer or null
     */
    public StackParams(final String groupName, final MemberId self, final List<LayerEntry> layers,
                       final Transport transport, final NanoClock clock, final long seed, final int inboundBytes,
                       final int commandBytes, final View staticView, final StackListener listener,
                       final StackObserver observer) {
        this(groupName, self, layers, transport, clock, seed, inboundBytes, commandBytes, staticView, listener,
            observer, List.of());
    }

    /**
     * @param seed a stack's seed
     * @return a SecureRandom whose output follows from the seed (SHA1PRNG seeded before its first use), for the
     *     secrets of deterministic runs ({@code secureSession} false)
     */
    static java.security.SecureRandom seededSecureRandom(final long seed) {
        try {
            final java.security.SecureRandom r = java.security.SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(java.nio.ByteBuffer.allocate(8).putLong(seed ^ 0x5E5510A1DL).array());
            return r;
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG unavailable", e);
        }
    }

    /**
     * One layer of the stack.
     *
     * @param name     what its counters, logs and dumps go by (the plan's key)
     * @param layer    the instance
     * @param settings its settings
     */
    public record LayerEntry(String name, Layer layer, Config settings) {
    }
}
