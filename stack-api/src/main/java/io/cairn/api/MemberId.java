package io.cairn.api;

import java.util.Objects;

/**
 * Stable identity of a group member: a name plus an incarnation. A process that restarts, or that rejoins after
 * losing the primary partition, comes back as a new incarnation and is a different member.
 *
 * <p>On the wire a member is its 64-bit {@link #key()}, a hash of name and incarnation, so frame headers stay fixed
 * size; views carry the full identity.
 */
public final class MemberId implements Comparable<MemberId> {
    private final String name;
    private final int incarnation;
    private final long key;

    /**
     * @param name        member name, non-empty, no '#'
     * @param incarnation incarnation number, {@code >= 0}
     */
    public MemberId(final String name, final int incarnation) {
        if (name == null || name.isEmpty() || name.indexOf('#') >= 0) {
            throw new IllegalArgumentException("member name must be non-empty and must not contain '#': " + name);
        }
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation must be >= 0: " + incarnation);
        }
        this.name = name;
        this.incarnation = incarnation;
        this.key = keyOf(name, incarnation);
    }

    /**
     * Parses {@code name} (incarnation 0) or {@code name#incarnation}.
     *
     * @param text the text form, as printed by {@link #toString()}
     * @return the member id
     */
    public static MemberId parse(final String text) {
        final int hash = text.indexOf('#');
        if (hash < 0) {
            return new MemberId(text, 0);
        }
        try {
            return new MemberId(text.substring(0, hash), Integer.parseInt(text.substring(hash + 1)));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("member must be name or name#incarnation: " + text, e);
        }
    }

    /** @return the member name */
    public String name() {
        return name;
    }

    /** @return the incarnation number */
    public int incarnation() {
        return incarnation;
    }

    /** @return the 64-bit wire key of this member */
    public long key() {
        return key;
    }

    /** @return the same name with the next incarnation */
    public MemberId nextIncarnation() {
        return new MemberId(name, incarnation + 1);
    }

    /**
     * Computes the wire key: FNV-1a over the name's UTF-16 units, then the incarnation, finished with a
     * 64-bit mixer so that similar names do not give similar keys.
     *
     * @param name        member name
     * @param incarnation incarnation
     * @return the key
     */
    public static long keyOf(final String name, final int incarnation) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= incarnation;
        h *= 0x100000001b3L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public int compareTo(final MemberId o) {
        final int c = name.compareTo(o.name);
        return c != 0 ? c : Integer.compare(incarnation, o.incarnation);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof MemberId m && m.incarnation == incarnation && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, incarnation);
    }

    @Override
    public String toString() {
        return name + "#" + incarnation;
    }
}
