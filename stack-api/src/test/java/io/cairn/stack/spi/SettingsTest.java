package io.cairn.stack.spi;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.config.StackConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    @TempDir
    Path dir;

    private static Settings of(final String hocon) {
        return new Settings("cairn.stack.layer.x", ConfigFactory.parseString(hocon));
    }

    @Test
    void shouldReadValuesInsideTheirRanges() {
        final Settings s = of("n = 5, size = 64K, d = 20ms, f = 0.5, store-chunk-size = 1M");
        assertThat(s.intIn("n", 1, 10)).isEqualTo(5);
        assertThat(s.bytesIn("size", 1, 1 << 20)).isEqualTo(65536);
        assertThat(s.durationNs("d", 0, Settings.SECOND)).isEqualTo(20 * Settings.MILLISECOND);
        assertThat(s.doubleIn("f", 0, 1)).isEqualTo(0.5);
        assertThat(s.storeChunkSize()).isEqualTo(1 << 20);
    }

    @Test
    void shouldNameKeyValueAndRangeOneConditionPerMessage() {
        assertThatThrownBy(() -> of("n = 0").intIn("n", 1, 10)).isInstanceOf(StackConfigException.class)
            .hasMessage("String: 1: cairn.stack.layer.x.n = 0: must be from 1 to 10");
        assertThatThrownBy(() -> of("n = 2.5").intIn("n", 1, 10))
            .hasMessageEndingWith("cairn.stack.layer.x.n = 2.5: expected a whole number");
        assertThatThrownBy(() -> of("n = 3000000000").intIn("n", 1, 10))
            .hasMessageEndingWith("n = 3000000000: must be from 1 to 10");
        assertThatThrownBy(() -> of("size = 1K").bytesIn("size", 4096, 1L << 40))
            .hasMessageEndingWith("size = 1K: must be from 4K to 1T");
        assertThatThrownBy(() -> of("d = 2h").durationNs("d", Settings.MICROSECOND, Settings.HOUR))
            .hasMessageEndingWith("d = 2h: must be from 1us to 1h");
        assertThatThrownBy(() -> of("d = soon").durationNs("d", 0, Settings.HOUR))
            .hasMessageEndingWith("d = soon: expected a duration such as 500us, 20ms or 1s");
        assertThatThrownBy(() -> of("f = NaN").doubleIn("f", 0, 1)).hasMessageContaining("f = NaN");
        assertThatThrownBy(() -> of("f = [1, 2]").doubleIn("f", 0, 1)).hasMessageEndingWith("f = [1,2]: expected a number");
        assertThatThrownBy(() -> of("a = 1").intIn("b", 1, 2))
            .hasMessage("cairn.stack.layer.x.b: missing (a layer's defaults belong in its reference.conf)");
        assertThatThrownBy(() -> of("t = 1s").require(false, "t", "must be at least twice interval (1s)"))
            .hasMessageEndingWith("cairn.stack.layer.x.t = 1s: must be at least twice interval (1s)");
    }

    @Test
    void shouldPointAtTheFileAndLineAValueCameFrom() throws Exception {
        final Path f = dir.resolve("my.conf");
        Files.writeString(f, "a = 1\nwindow = 0\n");
        final Settings s = new Settings("cairn.stack.layer.y", ConfigFactory.parseFile(f.toFile()));
        assertThatThrownBy(() -> s.intIn("window", 1, 64))
            .hasMessage(f + ":2: cairn.stack.layer.y.window = 0: must be from 1 to 64");
    }

    @Test
    void shouldGiveTheSettingsOfTheProviderBelow() {
        final Settings reliable = of("window = 64");
        final Settings s = new Settings("cairn.stack.layer.z", ConfigFactory.empty(),
            Map.of(Property.RELIABLE, reliable));
        assertThat(s.below(Property.RELIABLE)).isSameAs(reliable);
        assertThat(s.below(Property.FIFO)).isNull();
        assertThat(reliable.key("window")).isEqualTo("cairn.stack.layer.x.window");
    }

    @Test
    void shouldFormatDurationsAndSizesForPeople() {
        assertThat(Settings.duration(1_500_000)).isEqualTo("1.5ms");
        assertThat(Settings.duration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(Settings.duration(120 * Settings.SECOND)).isEqualTo("2m");
        assertThat(Settings.duration(Settings.HOUR)).isEqualTo("1h");
        assertThat(Settings.duration(750)).isEqualTo("750ns");
        assertThat(Settings.size(262_144)).isEqualTo("256K");
        assertThat(Settings.size(1L << 30)).isEqualTo("1G");
        assertThat(Settings.size(1500)).isEqualTo("1500");
    }
}
