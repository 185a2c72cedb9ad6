package io.cairn.configs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.cairn.stack.config.StackAssembler;
import io.cairn.stack.config.StackSpec;
import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.LinkConditions;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped stack assembles, carries only overrides and a one-line promise, and passes the checker. */
class ShippedStacksTest {
    private static final StackAssembler ASSEMBLER = new StackAssembler();

    static Stream<String> stacks() {
        return ASSEMBLER.shippedStacks().stream();
    }

    @Test
    void shouldShipTheStacksOfTheIndex() {
        assertThat(ASSEMBLER.shippedStacks()).contains("reliable-fifo", "vsync", "causal", "total", "total-symmetric",
            "safe-total", "total-tcp", "total-rdma");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void shouldAssembleAndPassTheCheckerUnderLoss(final String name) {
        final StackSpec spec = io.cairn.testkit.TestSecret.load(name);
        assertThat(spec.layers()).isNotEmpty();
        for (final long seed : new long[] {1, 2, 3}) {
            final SimulationResult r = Simulator.options().stack(spec).members(3).messages(1000).seed(seed)
                .payload(8, 3000).faults(FaultSchedule.links(LinkConditions.CLEAN.withLoss(0.05).withReorder(0.1)))
                .run();
            r.assertNoViolations();
        }
    }

    /**
     * Stacks over reliable FIFO transports leave out nak-reliability: the simulator keeps their links lossless
     * and in order (as the transport promises) but crashes members and partitions the group, so relay's copies
     * must carry each flush. Checked: total order, virtual synchrony, integrity, membership.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"total-tcp", "total-rdma"})
    void shouldAgreeAcrossCrashesAndPartitionsWithoutNakReliability(final String name) {
        final StackSpec spec = io.cairn.testkit.TestSecret.load(name);
        assertThat(spec.layers()).noneMatch(l -> l.name().equals("nak-reliability"));
        long requests = 0;
        for (final long seed : new long[] {1, 2, 3, 4, 5}) {
            final SimulationResult r = Simulator.options().stack(spec).members(5).messages(2000).seed(seed)
                .payload(8, 3000).faults(FaultSchedule.random(seed, 5, 3_000_000_000L, 1, 2, 0)).run();
            r.assertNoViolations();
            requests += r.sumCounter("relay.requests");
        }
        assertThat(requests).as("relay was asked for copies (flushes after crashes, gaps after partitions)")
            .isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void shouldCarryOnlyOverridesAndAOneLinePromise(final String name) throws Exception {
        final String resource = "stacks/" + name + ".conf";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            getClass().getClassLoader().getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            final List<String> lines = r.lines().toList();
            assertThat(lines.get(0)).as("first line says what the stack promises").startsWith("# ");
        }
        final Config file = ConfigFactory.parseResources(resource);
        final Config reference = ConfigFactory.defaultReference();
        if (file.hasPath("cairn.stack.layer")) {
            for (final Map.Entry<String, ConfigValue> e : file.getConfig("cairn.stack.layer").entrySet()) {
                final String path = "cairn.layer." + e.getKey();
                assertThat(reference.hasPath(path) && reference.getValue(path).unwrapped()
                    .equals(e.getValue().unwrapped())).as(resource + " repeats the default of " + path).isFalse();
            }
        }
    }
}
