package io.cairn.api;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A view's immutable member list, which also finds a rank by wire key: layers ask that for nearly every frame, and a
 * scan of the members chased a pointer per member. Keys sit in an array (scanned for small views) and, for large
 * views, in an open-addressed table.
 */
final class MemberList extends AbstractList<MemberId> implements RandomAccess {
    private static final int SCAN_LIMIT = 16;
    private final MemberId[] members;
    private final long[] keys;
    /** Large views: slots of (rank + 1), 0 empty, indexed by a hash of the key; null for small views. */
    private final int[] table;

    MemberList(final List<MemberId> list) {
        members = list.toArray(new MemberId[0]);
        keys = new long[members.length];
        for (int i = 0; i < members.length; i++) {
            keys[i] = members[i].key();
        }
        if (members.length <= SCAN_LIMIT) {
            table = null;
        } else {
            table = new int[Integer.highestOneBit(members.length) << 2];
            for (int i = 0; i < keys.length; i++) {
                int s = slot(keys[i]);
                while (table[s] != 0) {
                    s = (s + 1) & (table.length - 1);
                }
                table[s] = i + 1;
            }
        }
    }

    private int slot(final long key) {
        return (int) (org.agrona.collections.Hashing.hash(key) & (table.length - 1));
    }

    int rankOfKey(final long key) {
        if (table == null) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == key) {
                    return i;
                }
            }
            return -1;
        }
        for (int s = slot(key); table[s] != 0; s = (s + 1) & (table.length - 1)) {
            if (keys[table[s] - 1] == key) {
                return table[s] - 1;
            }
        }
        return -1;
    }

    @Override
    public MemberId get(final int index) {
        return members[index];
    }

    @Override
    public int size() {
        return members.length;
    }
}
