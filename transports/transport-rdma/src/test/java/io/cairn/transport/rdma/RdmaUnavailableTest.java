package io.cairn.transport.rdma;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Node;
import io.cairn.transport.rdma.verbs.disni.DisniAvailability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Without libdisni, an RDMA device or the sun.nio.ch export (this machine has none of them), starting an RDMA
 * stack with the disni provider fails with one message naming each missing piece and its fix, never a linkage
 * error.
 */
class RdmaUnavailableTest {
    @Test
    void shouldFailWithOneClearMessageWhenDisniCannotRun() {
        assumeFalse(DisniAvailability.problems().isEmpty(), "this machine can run DiSNI");
        try (Node node = Node.builder().name("disni-node").config(ConfigFactory.parseString(
            "cairn.transport.rdma { provider = disni, address = \"127.0.0.1:47001\" }")
            .withFallback(ConfigFactory.load())).build()) {
            assertThatThrownBy(() -> node.join("g", "rdma-total-test", null))
                .satisfies(e -> {
                    Throwable t = e;
                    while (t != null) {
                        assertThat(t).isNotInstanceOf(LinkageError.class);
                        t = t.getCause();
                    }
                })
                .hasMessageContaining("RDMA transport (provider disni) is not available on this machine")
                .hasMessageContaining("libdisni.so is not on java.library.path")
                .hasMessageContaining("-Djava.library.path=")
                .hasMessageContaining("provider = soft or shm");
        }
    }

    @Test
    void shouldNameTheFlagTheLibraryAndTheDevice() {
        assumeFalse(DisniAvailability.problems().isEmpty(), "this machine can run DiSNI");
        final String message = new RdmaUnavailableException(DisniAvailability.problems()).getMessage();
        if (!Object.class.getModule().isExported("sun.nio.ch", getClass().getModule())) {
            assertThat(message).contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED");
        }
        assertThat(message).contains("libdisni");
    }
}
