package io.cairn.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application touches lives in {@code io.cairn.api}: the public and protected signatures of the group API
 * name no SPI type (events, messages, layers, the runtime). {@code Node}'s hooks for tools and the simulator (clock,
 * observer, transport, assembler) are outside this rule.
 */
class ApiSurfaceTest {
    private static final List<String> SPI = List.of("io.cairn.stack.event.", "io.cairn.stack.spi.",
        "io.cairn.stack.runtime.");

    @Test
    void shouldNameNoSpiTypeInTheGroupApi() {
        final List<String> leaks = new ArrayList<>();
        for (final Class<?> type : List.of(Group.class, GroupListener.class, Delivery.class, View.class, ViewId.class,
            MemberId.class, OrderedRegion.class, WouldBlockException.class)) {
            for (final Method m : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) && !Modifier.isProtected(m.getModifiers())) {
                    continue;
                }
                Stream.concat(Stream.of(m.getReturnType()), Stream.of(m.getParameterTypes()))
                    .filter(t -> SPI.stream().anyMatch(p -> t.getName().startsWith(p)))
                    .forEach(t -> leaks.add(type.getSimpleName() + "." + m.getName() + ": " + t.getName()));
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void shouldKeepTheValueTypesInTheApiPackage() {
        assertThat(Stream.of(View.class, ViewId.class, MemberId.class, OrderedRegion.class).map(Class::getPackageName))
            .containsOnly("io.cairn.api");
    }
}
