package io.cairn.stack.wire;

import io.cairn.api.MemberId;
import io.cairn.api.ViewId;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ViewTagTest {
    @Test
    void shouldKeepTheEpochAndTellCoordinatorsApart() {
        final Set<Long> tags = new HashSet<>();
        for (int m = 0; m < 64; m++) {
            for (int inc = 0; inc < 4; inc++) {
                final ViewId id = new ViewId(0xFFFF_FFFEL, new MemberId("m" + m, inc));
                final long tag = ViewTag.of(id);
                assertThat(ViewTag.epoch(tag)).isEqualTo(id.epoch());
                tags.add(tag);
            }
        }
        assertThat(tags).as("one tag per coordinator incarnation").hasSize(64 * 4);
        assertThat(ViewTag.of(new ViewId(2, new MemberId("a", 0)))).isGreaterThan(ViewTag.of(new ViewId(1,
            new MemberId("a", 0))));
    }
}
