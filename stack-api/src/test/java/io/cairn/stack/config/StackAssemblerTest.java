package io.cairn.stack.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackAssemblerTest {
    @TempDir
    Path dir;

    private final StackAssembler assembler = new StackAssembler();

    private String file(final String body) throws IOException {
        final Path p = Files.createTempFile(dir, "stack", ".conf");
        Files.writeString(p, body);
        return p.toString();
    }

    private StackSpec load(final String path) {
        return assembler.load(path, ConfigFactory.empty());
    }

    @Test
    void shouldAssembleShippedStackWithOverridesOverDefaults() {
        final StackSpec spec = load("good");
        assertThat(spec.layerNames()).containsExactly("t-reliable", "t-fifo");
        assertThat(spec.layers().get(1).settings().getInt("max-hold-back")).isEqualTo(50);
        assertThat(spec.layers().get(1).settings().getString("name")).isEqualTo("fifo");
        assertThat(spec.members()).extracting(Object::toString).containsExactly("a#0", "b#0");
        assertThat(spec.source()).isEqualTo("stacks/good.conf");
    }

    @Test
    void shouldSynthesizeLayersFromProperties() throws IOException {
        final StackSpec spec = load(file("cairn.stack { transport = loop, properties = [total] }"));
        assertThat(spec.layerNames()).containsExactly("t-reliable", "t-fifo", "t-total");
        assertThat(spec.synthesized()).isTrue();
        assertThat(spec.provides()).extracting(Object::toString).contains("reliable", "fifo", "total");
    }

    @Test
    void shouldNameKnownLayersWhenLayerIsUnknown() throws IOException {
        final String f = file("cairn.stack { transport = loop, layers = [t-reliable, nope] }");
        assertThatThrownBy(() -> load(f))
            .isInstanceOf(StackConfigException.class)
            .hasMessageContaining(f)
            .hasMessageContaining("unknown layer 'nope'")
            .hasMessageContaining("Known layers: t-described, t-fifo, t-reliable, t-total");
    }

    @Test
    void shouldNameLayerPropertyAndProviderWhenRequirementIsMissing() throws IOException {
        final String f = file("cairn.stack { transport = loop, layers = [t-fifo] }");
        assertThatThrownBy(() -> load(f))
            .hasMessageContaining(f)
            .hasMessageContaining("layer 't-fifo' requires property 'reliable'")
            .hasMessageContaining("transport 'loop' provides []")
            .hasMessageContaining("e.g. 't-reliable'");
    }

    @Test
    void shouldRejectRequirementProvidedOnlyAbove() throws IOException {
        final String f = file("cairn.stack { transport = loop, layers = [t-fifo, t-reliable] }");
        assertThatThrownBy(() -> load(f)).hasMessageContaining("requires property 'reliable'");
    }

    @Test
    void shouldNameFileLineAndKnownKeysWhenSettingIsUnknown() throws IOException {
        final String f = file("cairn.stack {\n  transport = loop\n  layers = [t-reliable, t-fifo]\n"
            + "  layer.t-fifo.max-holdback = 3\n}");
        assertThatThrownBy(() -> load(f))
            .hasMessageContaining(f + ":4")
            .hasMessageContaining("cairn.stack.layer.t-fifo.max-holdback: unknown setting")
            .hasMessageContaining("max-hold-back");
    }

    @Test
    void shouldNameExpectedTypeWhenSettingIsMistyped() throws IOException {
        final String base = "cairn.stack { transport = loop, layers = [t-reliable, t-fifo], layer.t-fifo.";
        assertThatThrownBy(() -> load(file(base + "max-hold-back = lots }")))
            .hasMessageContaining("cairn.stack.layer.t-fifo.max-hold-back: expected a number");
        assertThatThrownBy(() -> load(file(base + "resend-interval = \"5 parsecs\" }")))
            .hasMessageContaining("resend-interval: expected a duration such as 20ms");
        assertThatThrownBy(() -> load(file(base + "window = huge }")))
            .hasMessageContaining("window: expected a size such as 64K");
        assertThatThrownBy(() -> load(file(base + "enabled = maybe }")))
            .hasMessageContaining("enabled: expected a boolean");
        assertThatThrownBy(() -> load(file(base + "name = [x] }")))
            .hasMessageContaining("name: expected a string");
    }

    @Test
    void shouldAcceptWellTypedOverrides() throws IOException {
        final StackSpec spec = load(file("cairn.stack { transport = loop, layers = [t-reliable, t-fifo], "
            + "layer.t-fifo { max-hold-back = \"12\", resend-interval = 5s, window = 1M, enabled = off } }"));
        assertThat(spec.layers().get(1).settings().getBytes("window")).isEqualTo(1024 * 1024);
    }

    @Test
    void shouldListKnownTransportsWhenTransportIsUnknown() throws IOException {
        assertThatThrownBy(() -> load(file("cairn.stack { transport = carrier-pigeon, layers = [] }")))
            .hasMessageContaining("unknown transport 'carrier-pigeon'")
            .hasMessageContaining("Known transports: [loop]");
    }

    @Test
    void shouldRejectUnknownStackKeyAndMissingOrDoubleLayerList() throws IOException {
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, layers = [], layerz = [] }")))
            .hasMessageContaining("cairn.stack.layerz: unknown key")
            .hasMessageContaining("[layer, layers, members, properties, transport]");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop }")))
            .hasMessageContaining("exactly one of 'layers'");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, layers = [], properties = [] }")))
            .hasMessageContaining("exactly one of 'layers'");
        assertThatThrownBy(() -> load(file("cairn.stack { layers = [] }")))
            .hasMessageContaining("cairn.stack.transport is missing");
        assertThatThrownBy(() -> load(file("cairn { }")))
            .hasMessageContaining("no 'cairn.stack' section");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, layers = t-fifo }")))
            .hasMessageContaining("cairn.stack.layers: expected a list");
    }

    @Test
    void shouldRejectSettingsForLayerNotInStack() throws IOException {
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, layers = [t-reliable], "
            + "layer.t-fifo.max-hold-back = 3 }")))
            .hasMessageContaining("cairn.stack.layer.t-fifo: settings for a layer that is not in this stack");
    }

    @Test
    void shouldExplainMissingFilesStacksClassesAndProperties() throws IOException {
        assertThatThrownBy(() -> load("no/such/file.conf")).hasMessageContaining("stack file not found");
        assertThatThrownBy(() -> load("nosuchstack")).hasMessageContaining("unknown stack 'nosuchstack'");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, layers = [com.example.Missing] }")))
            .hasMessageContaining("layer class 'com.example.Missing' not found");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, layers = [java.lang.String] }")))
            .hasMessageContaining("does not implement io.cairn.stack.spi.Layer");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, properties = [teleportation] }")))
            .hasMessageContaining("no registered layer provides 'teleportation'");
        assertThatThrownBy(() -> load(file("cairn.stack { transport = loop, properties = [Total] }")))
            .hasMessageContaining("kebab-case");
    }

    @Test
    void shouldReportSyntaxErrorsWithFile() throws IOException {
        final String f = file("cairn.stack { transport = loop, layers = [ }");
        assertThatThrownBy(() -> load(f)).isInstanceOf(StackConfigException.class).hasMessageContaining(f);
    }
}
