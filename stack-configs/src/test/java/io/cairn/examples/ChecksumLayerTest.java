package io.cairn.examples;

import com.typesafe.config.ConfigFactory;
import io.cairn.api.Group;
import io.cairn.api.Node;
import io.cairn.stack.config.StackConfigException;
import io.cairn.stack.event.Message;
import io.cairn.stack.runtime.ThreadingMode;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The README's custom layer in one file ({@link ChecksumLayer}: a header, a setting with its default beside the
 * code, a counter), named by class in a stack file and configured under its short name.
 */
class ChecksumLayerTest {
    @TempDir
    Path dir;

    /** Flips a payload byte of every third data frame it receives: what a bad NIC or a broken middlebox does. */
    public static final class Corrupter implements Layer {
        private int frames;

        @Override
        public void onDeliver(final LayerContext ctx, final Message m) {
            if (++frames % 3 == 0 && m.payloadLength() > 0) {
                m.buffer().putByte(m.payloadOffset(), (byte) ~m.buffer().getByte(m.payloadOffset()));
            }
            ctx.deliver(m);
        }
    }

    private Path stack(final String settings) throws Exception {
        final Path f = dir.resolve("checksum.conf");
        Files.writeString(f, "cairn.stack {\n"
            + "  transport = inproc\n"
            + "  layers = [\"io.cairn.examples.ChecksumLayerTest$Corrupter\", io.cairn.examples.ChecksumLayer,"
            + " nak-reliability, fifo]\n"
            + "  members = [a, b]\n"
            + "  " + settings + "\n"
            + "}\n");
        return f;
    }

    private static Node node(final String name, final String network) {
        return Node.builder().name(name).threading(ThreadingMode.INVOKER)
            .config(ConfigFactory.parseString("cairn.transport.inproc.network = " + network)).build();
    }

    @Test
    void shouldDeliverEveryCastIntactThroughCorruptionAndCountWhatItDropped() throws Exception {
        final Path file = stack("layer.checksum.max-checked-bytes = 1K");
        final List<String> atB = new ArrayList<>();
        try (Node a = node("a", "checksum-test"); Node b = node("b", "checksum-test")) {
            final Group ga = a.join("g", file.toString(), d -> { });
            final Group gb = b.join("g", file.toString(),
                d -> atB.add(new String(d.payloadBytes(), StandardCharsets.UTF_8)));
            for (int i = 0; i < 100; i++) {
                ga.cast(("entry " + i + " " + "x".repeat(i)).getBytes(StandardCharsets.UTF_8));
            }
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (atB.size() < 100 && System.nanoTime() < deadline) {
                a.doWork();
                b.doWork();
            }
            assertThat(atB).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(atB.get(i)).isEqualTo("entry " + i + " " + "x".repeat(i));
            }
            assertThat(gb.stats().get("checksum.corrupt")).as("frames dropped, then recovered by NAKs")
                .isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void shouldRejectABadOrMistypedSettingUnderItsShortName() throws Exception {
        try (Node a = node("a", "checksum-bad")) {
            final Path zero = stack("layer.checksum.max-checked-bytes = 0");
            assertThatThrownBy(() -> a.join("g", zero.toString(), d -> { }))
                .isInstanceOf(StackConfigException.class)
                .hasMessageContaining(zero + ":5: cairn.stack.layer.checksum.max-checked-bytes = 0: must be from 1 to 1G");
            final Path typo = stack("layer.checksum.max-checked-byte = 16");
            assertThatThrownBy(() -> a.join("g", typo.toString(), d -> { }))
                .hasMessageContaining(typo + ":5: cairn.stack.layer.checksum.max-checked-byte: unknown setting."
                    + " This layer reads: [max-checked-bytes]");
        }
    }

    @Test
    void shouldBeTheLayerTheReadmeShows() throws Exception {
        final String source = Files.readString(Path.of("src/test/java/io/cairn/examples/ChecksumLayer.java"));
        final String readme = Files.readString(Path.of("../README.md"));
        assertThat(source.lines().count()).as("a custom layer in one file of at most 50 lines").isLessThanOrEqualTo(50);
        assertThat(readme).as("README shows ChecksumLayer.java as it is").contains(source);
    }
}
