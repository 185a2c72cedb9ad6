package io.cairn.stack.event;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.GroupInternals;
import io.cairn.api.Node;
import io.cairn.stack.runtime.ThreadingMode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventDirectionTest {
    @Test
    void shouldGiveEveryShippedEventOneDirection() {
        assertThat(Arrays.stream(UpEvent.class.getPermittedSubclasses()).filter(DownEvent.class::isAssignableFrom))
            .as("up events that are also down events").isEmpty();
        assertThat(Arrays.stream(DownEvent.class.getPermittedSubclasses()).filter(UpEvent.class::isAssignableFrom))
            .as("down events that are also up events").isEmpty();
    }

    /** A custom layer's event cannot be both: which way it travelled used to depend on the runtime's test order. */
    record BothWays() implements UpEvent.Custom, DownEvent.Custom {
    }

    @Test
    void shouldRefuseACustomEventThatClaimsBothDirections() {
        try (Node a = Node.builder().name("a").threading(ThreadingMode.INVOKER).build()) {
            final Group g = a.join("directions", "good", ConfigFactory.parseString("cairn.stack.members = [a]"),
                d -> { });
            assertThatThrownBy(() -> GroupInternals.runtime(g).offerEvent(new BothWays()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BothWays is both a DownEvent and an UpEvent");
            assertThatThrownBy(() -> GroupInternals.runtime(g).offerEvent("text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a DownEvent");
        }
    }
}
