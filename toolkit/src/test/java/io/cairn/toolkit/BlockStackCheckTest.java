package io.cairn.toolkit;

import io.cairn.api.Node;
import io.cairn.toolkit.lock.LockService;
import io.cairn.toolkit.snapshot.ConsistentSnapshot;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A block on a stack that lacks what it relies on is refused at join, naming what is missing and the fix. */
class BlockStackCheckTest {
    @Test
    void aLockServiceNeedsTotalOrder() {
        try (Node n = Node.builder().name("a").config(ConfigFactory.parseMap(Map.of("cairn.transport.inproc.network",
            "check-" + System.nanoTime()))).build()) {
            assertThatThrownBy(() -> n.join("locks", "vsync", new LockService(Scheduler.shared()).block()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lock on group 'locks' needs a stack that provides")
                .hasMessageContaining("lacks [total]");
            assertThatThrownBy(() -> n.join("cut", "total", new ConsistentSnapshot(Scheduler.shared(),
                () -> new byte[0], (from, payload) -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks [causal]");
        }
    }
}
