package io.cairn.api;

import java.util.List;

/**
 * A group view: an ordered member list ranked by join time (rank 0 is the oldest member and the coordinator) and
 * whether the view is the primary partition.
 *
 * @param id      the view id
 * @param members the members, oldest first; never empty
 * @param primary whether this view belongs to the primary partition
 */
public record View(ViewId id, List<MemberId> members, boolean primary) {
    /** Copies the member list and checks that it is non-empty and has no duplicates. */
    public View {
        members = members instanceof MemberList ? members : new MemberList(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a view has at least one member");
        }
        if (members.stream().map(MemberId::key).distinct().count() != members.size()) {
            throw new IllegalArgumentException("duplicate member in view: " + members);
        }
    }

    /**
     * Builds the initial view of a static group: epoch 1, coordinator = first member, primary.
     *
     * @param members members, oldest first
     * @return the view
     */
    public static View initial(final List<MemberId> members) {
        return new View(new ViewId(1, members.get(0)), members, true);
    }

    /** @return the number of members */
    public int size() {
        return members.size();
    }

    /** @return the coordinator (the oldest member) */
    public MemberId coordinator() {
        return members.get(0);
    }

    /**
     * @param member a member
     * @return its rank (0 = oldest), or -1 when it is not in the view
     */
    public int rank(final MemberId member) {
        return members.indexOf(member);
    }

    /**
     * Finds a member's rank by wire key without allocating.
     *
     * @param key a member's wire key
     * @return its rank, or -1
     */
    public int rankOfKey(final long key) {
        return ((MemberList) members).rankOfKey(key);
    }

    /**
     * @param member a member
     * @return whether it is in the view
     */
    public boolean contains(final MemberId member) {
        return rank(member) >= 0;
    }

    @Override
    public String toString() {
        return "View[" + id + (primary ? "" : " minority") + " " + members + "]";
    }
}
