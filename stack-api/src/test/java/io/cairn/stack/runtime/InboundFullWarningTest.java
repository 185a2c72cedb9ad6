package io.cairn.stack.runtime;

import io.cairn.api.MemberId;
import io.cairn.api.View;
import io.cairn.stack.testsupport.LogCapture;
import io.cairn.stack.testsupport.LoopTransport;
import io.cairn.stack.testsupport.QuietListener;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** A full inbound queue is counted every time and explained once, with the setting that usually causes it. */
class InboundFullWarningTest {
    @Test
    void shouldCountEveryRefusedFrameAndWarnOnce() {
        final MemberId a = new MemberId("a", 0);
        final StackRuntime rt = new StackRuntime(new StackParams("full", a, List.of(), new LoopTransport(),
            () -> 0L, 1, 1 << 16, 1 << 16, View.initial(List.of(a)), new QuietListener(), null));
        rt.onStart();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1000]);
        int accepted = 0;
        int refused = 0;
        final List<LogRecord> warnings;
        try (LogCapture logs = LogCapture.of("io.cairn.stack")) {
            // Nobody runs the stack: a 64 KiB queue takes about 60 frames of 1,000 bytes, then refuses.
            for (int i = 0; i < 200; i++) {
                if (rt.offerFrame(frame, 0, frame.capacity())) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            warnings = logs.records();
        }
        assertThat(accepted).isBetween(50, 70);
        assertThat(rt.stats().get("stack.rx_queue_full")).isEqualTo(refused);
        assertThat(warnings).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("inbound queue is full", "inbound-ring-size = 65536",
                "credit-flow.max-credits");
        });
    }
}
