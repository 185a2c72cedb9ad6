package io.cairn.stack.runtime;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Delivery;
import io.cairn.api.Group;
import io.cairn.api.GroupListener;
import io.cairn.api.Node;
import io.cairn.stack.testsupport.RecordingLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CustomLayerTest {
    @TempDir
    Path dir;

    @Test
    void shouldSeeExactlyTheEventsItHandlesWhenNamedByClass() throws Exception {
        final Path stack = dir.resolve("custom.conf");
        Files.writeString(stack, """
            cairn.stack {
              transport = loop
              layers = [t-reliable, "io.cairn.stack.testsupport.RecordingLayer", t-fifo]
              members = [a, b]
              layer."io.cairn.stack.testsupport.RecordingLayer".tag = 9
            }
            """);
        RecordingLayer.CALLS.clear();
        final List<String> gotA = new ArrayList<>();
        final List<String> gotB = new ArrayList<>();
        try (Node a = Node.builder().name("a").threading(ThreadingMode.INVOKER).build();
             Node b = Node.builder().name("b").threading(ThreadingMode.INVOKER).build()) {
            final Group ga = a.join("g", stack.toString(), listener(gotA));
            final Group gb = b.join("g", stack.toString(), listener(gotB));
            ga.cast("hello".getBytes(StandardCharsets.UTF_8));
            a.doWork();
            gb.send(ga.self(), "direct".getBytes(StandardCharsets.UTF_8));
            b.doWork();
            for (int i = 0; i < 3; i++) {
                a.doWork();
                b.doWork();
            }
        }
        assertThat(RecordingLayer.callsOf("a"))
            .containsExactly("init:9", "up:ViewInstalled", "cast:1", "deliver:1", "deliver:unicast:0");
        assertThat(RecordingLayer.callsOf("b")).containsExactly("init:9", "up:ViewInstalled", "deliver:1");
        assertThat(gotA).containsExactly("view", "a#0:hello", "b#0:direct");
        assertThat(gotB).containsExactly("view", "a#0:hello");
    }

    private static GroupListener listener(final List<String> got) {
        return new GroupListener() {
            @Override
            public void onDeliver(final Delivery d) {
                got.add(d.sender() + ":" + new String(d.payloadBytes(), StandardCharsets.UTF_8));
            }

            @Override
            public void onView(final io.cairn.api.View view, final long eventNo) {
                got.add("view");
            }
        };
    }
}
