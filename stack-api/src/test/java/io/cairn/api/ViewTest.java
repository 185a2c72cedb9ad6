package io.cairn.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A view finds ranks by wire key (scanned for small views, hashed for large ones) and its member list is fixed. */
class ViewTest {
    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {1, 3, 16, 17, 64, 300})
    void shouldFindEveryRankByKeyAndNothingElse(final int n) {
        final List<MemberId> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(new MemberId("m" + i, i % 3));
        }
        final View v = new View(new ViewId(7, members.get(0)), members, true);
        for (int i = 0; i < n; i++) {
            assertThat(v.rankOfKey(members.get(i).key())).isEqualTo(i);
            assertThat(v.rank(members.get(i))).isEqualTo(i);
            assertThat(v.rankOfKey(members.get(i).nextIncarnation().key())).as("another incarnation").isEqualTo(-1);
        }
        assertThat(v.rankOfKey(new MemberId("stranger", 0).key())).isEqualTo(-1);
        assertThat(v.members()).isEqualTo(members).hasSize(n);
        assertThat(v).isEqualTo(new View(new ViewId(7, members.get(0)), List.copyOf(members), true));
        assertThatThrownBy(() -> v.members().add(members.get(0))).isInstanceOf(UnsupportedOperationException.class);
        members.clear();
        assertThat(v.members()).as("a copy, not a view of the caller's list").hasSize(n);
    }
}
