package io.cairn.configs;

import io.cairn.stack.config.StackAssembler;
import io.cairn.testkit.sim.FaultRows;
import io.cairn.testkit.sim.FaultSchedule;
import io.cairn.testkit.sim.Seeds;
import io.cairn.testkit.sim.SimulationResult;
import io.cairn.testkit.sim.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure detection shared by a node's groups, through the fault matrix: every host runs one process with a stack
 * of each of {@value #GROUPS} groups over one peer-liveness table (as a node that joined them all), host faults
 * (crashes, pauses, partitions, slow links, clocks) hit every group, leaves and hung stacks hit one group at a
 * time. Each group's trace is checked on its own for everything the stack promises, D1 included (a crashed or hung
 * member is out of every survivor's final view: the node's other groups must not keep vouching for it). Every
 * shipped stack with a membership layer, under the matrix's rows and a random schedule of partitions, crashes and
 * pauses; N cycles through 3, 5, 7, 9 by seed. {@code vsync} runs the same rows with every group detecting on its
 * own ({@code share-liveness = false}), which keeps that detector under the matrix too. CI runs {@value #CI_SEEDS}
 * seed per cell;
 * {@code -Dcairn.shared.seeds=N -Dcairn.shared.seed-start=S} for more.
 */
class SharedLivenessMatrixProperties {
    static final int CI_SEEDS = 1;
    static final int GROUPS = 3;
    private static final long SEND_INTERVAL_NS = 1_000_000L;
    private static final int MESSAGES = 1000;

    static Stream<Arguments> cells() {
        final List<Arguments> out = new ArrayList<>();
        for (final String stack : new StackAssembler().shippedStacks()) {
            if (stack.equals("reliable-fifo")) {
                continue; // a static group has no detector verdicts to share
            }
            for (final String row : rows()) {
                out.add(Arguments.of(stack, row, true));
            }
        }
        for (final String row : rows()) {
            out.add(Arguments.of("vsync", row, false));
        }
        return out.stream();
    }

    private static List<String> rows() {
        final List<String> rows = new ArrayList<>(FaultRows.IDS);
        rows.add("random");
        return rows;
    }

    static java.util.stream.LongStream seeds() {
        if (System.getProperty("cairn.seed") != null) {
            return Seeds.of(1);
        }
        final long start = Long.getLong("cairn.shared.seed-start", 1L);
        return java.util.stream.LongStream.range(start, start + Integer.getInteger("cairn.shared.seeds", CI_SEEDS));
    }

    static Simulator.Options options(final String stack, final String row, final long seed, final boolean share) {
        final int n = new int[] {3, 5, 7, 9}[(int) Math.floorMod(seed, 4)];
        final long span = MESSAGES * SEND_INTERVAL_NS;
        final FaultSchedule faults = row.equals("random") ? FaultSchedule.random(seed, n, span, 1, 1, 1)
            : FaultRows.row(row, seed, n, span);
        final Simulator.Options o = Simulator.options().members(n).groups(GROUPS).seed(seed)
            .messages(MESSAGES).sendInterval(SEND_INTERVAL_NS).payload(8, 1500).blockingCasts()
            .settle(8_000_000_000L).faults(faults);
        if (share) {
            o.stack(stack);
        } else {
            o.stack(new StackAssembler().load(stack, com.typesafe.config.ConfigFactory.parseString(
                "cairn.stack.layer.heartbeat.share-liveness = false")));
        }
        return row.equals("random") ? o : o.replayFaultsAs("--fault-row " + row);
    }

    @ParameterizedTest(name = "{0} under {1}, " + GROUPS + " groups per host, shared {2}")
    @MethodSource("cells")
    void shouldKeepEveryPromiseInEveryGroup(final String stack, final String row, final boolean share) {
        final List<String> failures = new ArrayList<>();
        final long[] runs = {0};
        seeds().forEach(seed -> {
            runs[0]++;
            final SimulationResult r = options(stack, row, seed, share).run();
            if (!r.ok()) {
                System.out.println("shared-liveness " + stack + " " + row + " " + share + " seed " + seed + " FAILED: "
                    + r.describe());
                failures.add(r.describe());
            }
        });
        System.out.println("shared-liveness " + stack + " " + row + " " + share + ": " + runs[0] + " runs, "
            + failures.size() + " failed");
        assertThat(failures).as("runs with violations").isEmpty();
    }
}
