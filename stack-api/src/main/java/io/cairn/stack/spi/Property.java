package io.cairn.stack.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A guarantee a layer or transport provides, by name. The set is open: custom layers may define their own
 * properties with {@link #of(String)}; the built-in ones are constants here.
 */
public final class Property implements Comparable<Property> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** Every multicast reaches every member of the view (no loss), barring failure. */
    public static final Property RELIABLE = new Property("reliable");
    /**
     * Copies of the view's multicasts kept until stable, so a flush ({@code SyncTo}) can fetch what a survivor
     * lacks from any member, the original sender included or not.
     */
    public static final Property RECOVERY = new Property("recovery");
    /** Per-sender order. */
    public static final Property FIFO = new Property("fifo");
    /** Causal order. */
    public static final Property CAUSAL = new Property("causal");
    /** Total order. */
    public static final Property TOTAL = new Property("total");
    /** Safe (uniform) delivery. */
    public static final Property SAFE = new Property("safe");
    /** Views and failure detection. */
    public static final Property MEMBERSHIP = new Property("membership");
    /** Failure detection. */
    public static final Property FAILURE_DETECTION = new Property("failure-detection");
    /** Flush: the same message set per view. */
    public static final Property VIRTUAL_SYNCHRONY = new Property("virtual-synchrony");
    /** Credit-based flow control. */
    public static final Property FLOW_CONTROL = new Property("flow-control");
    /** Messages larger than a frame. */
    public static final Property FRAGMENTATION = new Property("fragmentation");
    /** Stability detection. */
    public static final Property STABILITY = new Property("stability");
    /** Application state for joiners. */
    public static final Property STATE_TRANSFER = new Property("state-transfer");
    /** Confidentiality. */
    public static final Property ENCRYPTION = new Property("encryption");
    /** Peer authentication. */
    public static final Property AUTHENTICATION = new Property("authentication");
    /** Merging partitions. */
    public static final Property MERGE = new Property("merge");
    /** Reliable, FIFO point-to-point sends. */
    public static final Property RELIABLE_UNICAST = new Property("reliable-unicast");

    private final String name;

    private Property(final String name) {
        this.name = name;
    }

    /**
     * @param name a kebab-case property name
     * @return the property
     */
    public static Property of(final String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a property name is kebab-case ([a-z][a-z0-9-]*): " + name);
        }
        return new Property(name);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Property p && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public int compareTo(final Property o) {
        return name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
