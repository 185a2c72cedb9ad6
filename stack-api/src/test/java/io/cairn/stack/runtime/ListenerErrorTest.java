package io.cairn.stack.runtime;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerErrorTest {
    /**
     * An application upcall that throws is stopped at the top of the stack: counted as the application's, not a
     * layer's (E1), and the deliveries after it still come.
     */
    @Test
    void shouldStopAnApplicationExceptionAtTheTopAndGoOn() {
        final List<String> got = new ArrayList<>();
        try (Node a = Node.builder().name("a").threading(ThreadingMode.INVOKER).build()) {
            final Group g = a.join("throwing-app", "good", ConfigFactory.parseString("cairn.stack.members = [a]"),
                d -> {
                    final String text = new String(((Delivery) d).payloadBytes());
                    got.add(text);
                    if (text.equals("first")) {
                        throw new IllegalStateException("the application's own bug");
                    }
                });
            g.cast("first".getBytes());
            g.cast("second".getBytes());
            g.cast("third".getBytes());
            for (int i = 0; i < 10; i++) {
                a.doWork();
            }
            assertThat(got).containsExactly("first", "second", "third");
            assertThat(g.stats().get("stack.listener_errors")).isEqualTo(1);
            assertThat(g.stats().get("stack.handler_errors")).isZero();
        }
    }
}
