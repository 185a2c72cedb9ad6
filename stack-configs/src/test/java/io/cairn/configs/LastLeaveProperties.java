package io.cairn.configs;

import io.cairn.stack.config.StackAssembler;
import io.cairn.testkit.sim.FaultScript;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everyone leaves: after the casts, every member of the group leaves, one after another (the coordinator first,
 * then each next coordinator, the last member alone) or all at once, and each must exit having left
 * ({@code exit left}), with the checker clean. A leave once hung for ever when every reachable member was
 * leaving, the last member of a view included, because nobody coordinated; no fault row had every member leave, so
 * the matrix never saw it (a three-process test did). Every shipped stack with membership, N = 3 and 5.
 */
class LastLeaveProperties {
    private static final long MS = 1_000_000L;

    static Stream<Arguments> cells() {
        final List<Arguments> out = new ArrayList<>();
        for (final String stack : new StackAssembler().shippedStacks()) {
            if (stack.equals("reliable-fifo")) {
                continue; // a static group: leaving is stopping
            }
            for (final int n : new int[] {3, 5}) {
                out.add(Arguments.of(stack, n, true));
                out.add(Arguments.of(stack, n, false));
            }
        }
        return out.stream();
    }

    /** After 300 casts at 1 ms: the members leave from 600 ms on, 40 ms apart in rank order, or all at 600 ms. */
    private static String script(final int n, final boolean oneAfterAnother) {
        if (!oneAfterAnother) {
            return "600ms leave " + java.util.stream.IntStream.range(0, n).mapToObj(String::valueOf)
                .collect(Collectors.joining(" "));
        }
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(600 + 40 * i).append("ms leave ").append(i).append('\n');
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0}, N = {1}, one after another {2}")
    @MethodSource("cells")
    void shouldLetEveryMemberLeaveAndExit(final String stack, final int n, final boolean oneAfterAnother) {
        final SimulationResult r = Simulator.options().stack(stack).members(n).seed(n).messages(300)
            .sendInterval(MS).payload(8, 1500).blockingCasts().settle(8_000 * MS)
            .faults(FaultScript.parse("everyone-leaves", script(n, oneAfterAnother), n)).run();
        assertThat(r.ok()).as(r.describe()).isTrue();
        final Map<String, String> exits = r.trace().events().stream()
            .filter(e -> e.type() == TraceEvent.Type.EXIT)
            .collect(Collectors.toMap(TraceEvent::p, TraceEvent::name, (a, b) -> b));
        for (int i = 0; i < n; i++) {
            assertThat(exits).as("m" + i + " exited having left: " + r.describe()).containsEntry("m" + i + "#0",
                TraceEvent.EXIT_LEFT);
        }
    }
}
