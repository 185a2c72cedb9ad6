package io.cairn.stack.config;

import com.typesafe.config.ConfigFactory;
import io.cairn.stack.spi.Layer;
import io.cairn.stack.spi.LayerDescriptor;
import io.cairn.stack.spi.Property;
import io.cairn.stack.testsupport.TestLayers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A layer's facts declared once, in {@code @LayerSpec}, and read by the registry, the assembler and the layer. */
class LayerSpecTest {
    @TempDir
    Path dir;

    private StackSpec load(final String body) throws IOException {
        final Path p = Files.createTempFile(dir, "stack", ".conf");
        Files.writeString(p, body);
        return new StackAssembler().load(p.toString(), ConfigFactory.empty());
    }

    @Test
    void shouldRegisterAnAnnotatedLayerByItsNameWithoutCreatingIt() {
        final int before = TestLayers.Described.created;
        final LayerRegistry registry = LayerRegistry.load();
        assertThat(TestLayers.Described.created).as("read from the annotation").isEqualTo(before);
        assertThat(registry.layers()).containsKey("t-described");
        assertThat(registry.layers().get("t-described").canonicalPosition()).isEqualTo(150);
        assertThat(registry.canonicalOrder()).extracting(f -> f.name())
            .containsSubsequence("t-reliable", "t-described", "t-fifo");
    }

    @Test
    void shouldAnswerTheLayersQuestionsFromTheAnnotation() {
        final Layer layer = new TestLayers.Described();
        assertThat(layer.provides()).containsExactly(Property.of("t-checked"), Property.STABILITY);
        assertThat(layer.requires()).containsExactly(Property.RELIABLE);
        assertThat(layer.layerId()).isEqualTo(904);
        assertThat(layer.headerLength()).isEqualTo(6);
    }

    @Test
    void shouldAssembleAndSynthesizeWithAnAnnotatedLayer() throws IOException {
        assertThat(load("cairn.stack { transport = loop, layers = [t-reliable, t-described] }").provides())
            .contains(Property.of("t-checked"));
        assertThat(load("cairn.stack { transport = loop, properties = [t-checked] }").layerNames())
            .containsExactly("t-reliable", "t-described");
        assertThatThrownBy(() -> load("cairn.stack { transport = loop, layers = [t-described] }"))
            .hasMessageContaining("layer 't-described' requires property 'reliable'");
    }

    @Test
    void shouldDeriveNameAndIdWithoutAnAnnotationAndNameTheClassWhenItIsInvalid() throws IOException {
        final LayerDescriptor d = LayerDescriptor.of(TestLayers.MyHTTPCacheLayer.class);
        assertThat(d.name()).isEqualTo("my-http-cache");
        assertThat(d.id()).isBetween(1024, 65535);
        assertThat(new TestLayers.MyHTTPCacheLayer().layerId()).isEqualTo(d.id());
        assertThatThrownBy(() -> load("cairn.stack { transport = loop, layers = [t-reliable, "
            + "\"io.cairn.stack.testsupport.TestLayers$BadlyDescribed\"] }"))
            .isInstanceOf(StackConfigException.class)
            .hasMessageContaining("@LayerSpec on io.cairn.stack.testsupport.TestLayers$BadlyDescribed")
            .hasMessageContaining("name = \"Not Kebab\" is invalid; use a kebab-case name");
    }

    @Test
    void shouldTakeSettingsOfAClassNamedLayerUnderItsAnnotatedName() throws IOException {
        final StackSpec spec = load("cairn.stack { transport = loop, layers = [t-reliable, "
            + "\"io.cairn.stack.testsupport.TestLayers$Described\"], layer.t-described { x = 1 } }");
        assertThat(spec.layers().get(1).settings().getInt("x")).isEqualTo(1);
    }
}
