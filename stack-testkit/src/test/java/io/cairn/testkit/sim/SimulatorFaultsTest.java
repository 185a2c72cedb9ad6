package io.cairn.testkit.sim;

import io.cairn.stack.spi.Property;
import io.cairn.testkit.trace.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each fault kind does what it says, observed on the trace (sim-raw: no protocol, so what the network does is what
 * the members deliver) or through a probe layer, never through the checker's verdict.
 */
class SimulatorFaultsTest {
    private static final long MS = 1_000_000L;
    private static final Set<Property> TCP_LIKE = Set.of(Property.RELIABLE, Property.FIFO);

    /** 3 members of sim-raw cast 400 messages over 200 ms. */
    private static Simulator.Options raw(final long seed, final String script) {
        return Simulator.options().stack("sim-raw").members(3).messages(400).seed(seed).settle(2_000 * MS)
            .check(Set.of("I1", "I2")).faults(FaultScript.parse("test", script, 3));
    }

    /** Deliveries by (receiver, sender), each with its latency from the send. */
    private static Map<String, List<Long>> latencies(final SimulationResult r) {
        final Map<String, Long> sentAt = new HashMap<>();
        final Map<String, List<Long>> out = new HashMap<>();
        for (final TraceEvent e : r.trace().events()) {
            if (e.type() == TraceEvent.Type.SEND) {
                sentAt.put(e.p() + "/" + e.seq(), e.t());
            } else if (e.type() == TraceEvent.Type.DELIVER) {
                out.computeIfAbsent(e.p() + "<" + e.src(), k -> new ArrayList<>())
                    .add(e.t() - sentAt.get(e.src() + "/" + e.seq()));
            }
        }
        return out;
    }

    private static long sent(final SimulationResult r, final String p) {
        return r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.SEND && e.p().equals(p)).count();
    }

    private static int delivered(final Map<String, List<Long>> l, final String to, final String from) {
        return l.getOrDefault(to + "<" + from, List.of()).size();
    }

    private static long min(final Map<String, List<Long>> l, final String to, final String from) {
        return l.get(to + "<" + from).stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static long max(final Map<String, List<Long>> l, final String to, final String from) {
        return l.get(to + "<" + from).stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    @Test
    void shouldDelayOneDirectionOfOneLinkOnly() {
        final SimulationResult r = raw(1, "0s link 0>1 delay=300ms").run();
        final Map<String, List<Long>> l = latencies(r);
        assertThat(delivered(l, "m1#0", "m0#0")).isEqualTo(sent(r, "m0#0"));
        assertThat(min(l, "m1#0", "m0#0")).isGreaterThanOrEqualTo(300 * MS);
        assertThat(max(l, "m0#0", "m1#0")).as("the other direction").isLessThan(MS);
        assertThat(max(l, "m2#0", "m0#0")).as("another link of the same sender").isLessThan(MS);
    }

    @Test
    void shouldLoseOneDirectionOfOneLinkOnlyAndOnlyWhileTheOverrideLasts() {
        final SimulationResult r = raw(2, "0s link 0>1 loss=1\n100ms link 0>1 clear").run();
        final Map<String, List<Long>> l = latencies(r);
        final long m0 = sent(r, "m0#0");
        assertThat(delivered(l, "m1#0", "m0#0")).isPositive().isLessThan((int) m0);
        assertThat(delivered(l, "m0#0", "m1#0")).isEqualTo(sent(r, "m1#0"));
        assertThat(delivered(l, "m2#0", "m0#0")).isEqualTo(m0);
        assertThat(r.network().dropped(SimNetwork.Drop.LOSS)).isEqualTo(m0 - delivered(l, "m1#0", "m0#0"));
    }

    @Test
    void shouldDuplicateAndReorderOneDirectionOnly() {
        final SimulationResult r = raw(3, "0s link 2>0 dup=1 reorder=0.5 reorder-delay=5ms").run();
        final Map<String, List<Long>> l = latencies(r);
        assertThat(delivered(l, "m0#0", "m2#0")).as("every frame twice").isEqualTo(2 * (int) sent(r, "m2#0"));
        assertThat(delivered(l, "m1#0", "m2#0")).isEqualTo(sent(r, "m2#0"));
        assertThat(delivered(l, "m2#0", "m0#0")).isEqualTo(sent(r, "m0#0"));
        final List<Long> order = r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER
            && e.p().equals("m0#0") && e.src().equals("m2#0")).map(TraceEvent::seq).distinct().toList();
        assertThat(order).as("reordered").isNotEqualTo(order.stream().sorted().toList());
    }

    @Test
    void shouldNeverLoseOnAReliableTransportButStillDelay() {
        final SimulationResult r = raw(4, "0s link 0>1 loss=1 delay=100ms").transportProvides(TCP_LIKE).run();
        final Map<String, List<Long>> l = latencies(r);
        assertThat(delivered(l, "m1#0", "m0#0")).isEqualTo(sent(r, "m0#0"));
        assertThat(min(l, "m1#0", "m0#0")).isGreaterThanOrEqualTo(100 * MS);
        assertThat(r.network().dropped()).isZero();
    }

    @Test
    void shouldDropAndDelayAMembersOwnCopiesWithALossyLoopback() {
        final SimulationResult r = raw(5, "0s loopback 0 loss=0.5 delay=2ms").run();
        final Map<String, List<Long>> l = latencies(r);
        final long m0 = sent(r, "m0#0");
        assertThat(delivered(l, "m0#0", "m0#0")).isBetween((int) (m0 / 4), (int) (3 * m0 / 4));
        assertThat(r.network().dropped(SimNetwork.Drop.LOOPBACK)).isEqualTo(m0 - delivered(l, "m0#0", "m0#0"));
        assertThat(min(l, "m0#0", "m0#0")).isGreaterThanOrEqualTo(2 * MS);
        assertThat(delivered(l, "m1#0", "m0#0")).isEqualTo(m0);
        assertThat(delivered(l, "m1#0", "m1#0")).as("other loopbacks").isEqualTo(sent(r, "m1#0"));
        assertThat(max(l, "m1#0", "m1#0")).isZero();

        final SimulationResult tcp = raw(5, "0s loopback 0 loss=0.5 delay=2ms").transportProvides(TCP_LIKE).run();
        final Map<String, List<Long>> lt = latencies(tcp);
        assertThat(delivered(lt, "m0#0", "m0#0")).as("no loss over tcp").isEqualTo(sent(tcp, "m0#0"));
        assertThat(min(lt, "m0#0", "m0#0")).as("but the delay").isGreaterThanOrEqualTo(2 * MS);
    }

    @Test
    void shouldLoseTheFramesInFlightOnAResetLinkInBothDirectionsAndNothingElse() {
        // Every frame is 50 ms in flight; at 100 ms the link 0-1 breaks for 50 ms, then reconnects.
        final SimulationResult r = raw(6, "0s links delay=50ms jitter=0\n100ms reset 0-1 down=50ms")
            .transportProvides(TCP_LIKE).run();
        final Map<String, List<Long>> l = latencies(r);
        final Map<String, TreeSet<Long>> got = new HashMap<>();
        final Map<Long, Long> m0SentAt = new HashMap<>();
        for (final TraceEvent e : r.trace().events()) {
            if (e.type() == TraceEvent.Type.DELIVER) {
                got.computeIfAbsent(e.p() + "<" + e.src(), k -> new TreeSet<>()).add(e.seq());
            } else if (e.type() == TraceEvent.Type.SEND && e.p().equals("m0#0")) {
                m0SentAt.put(e.seq(), e.t() - 1_000_000_000L);
            }
        }
        final long lost01 = sent(r, "m0#0") - delivered(l, "m1#0", "m0#0");
        final long lost10 = sent(r, "m1#0") - delivered(l, "m0#0", "m1#0");
        assertThat(lost01).isPositive();
        assertThat(lost10).isPositive();
        assertThat(r.network().dropped(SimNetwork.Drop.RESET)).isEqualTo(lost01 + lost10);
        for (final String other : List.of("m2#0<m0#0", "m2#0<m1#0", "m0#0<m2#0", "m1#0<m2#0")) {
            assertThat(got.get(other)).as(other).hasSize((int) sent(r, other.substring(other.indexOf('<') + 1)));
        }
        // m1 misses exactly m0's casts sent from 50 ms (in flight at 100 ms) until it reconnected at 150 ms.
        for (final Map.Entry<Long, Long> s : m0SentAt.entrySet()) {
            final boolean lostOne = s.getValue() >= 50 * MS && s.getValue() < 150 * MS;
            assertThat(got.get("m1#0<m0#0").contains(s.getKey())).as("m0/" + s.getKey() + " sent at "
                + s.getValue()).isEqualTo(!lostOne);
        }
    }

    @Test
    void shouldRunEachMembersTimersOnItsOwnClock() {
        final SimulationResult r = Simulator.options().stack("sim-probe").members(4).messages(100).seed(7)
            .settle(10_000 * MS).check(Set.of("I1")).faults(FaultScript.parse("clocks", """
                0s    clock 1 rate=2
                0s    clock 2 offset=288s
                0s    clock 3 offset=-288s rate=0.5
                1s    clock 3 rate=1.5
                """, 4)).run();
        final Map<String, Long> s = stats(r);
        // Timer periods are quantised by the 1 ms simulator step and the timer wheel's tick: 100 ms timers keep
        // that under 3 %.
        final double m0 = s.get("m0.ticks");
        assertThat(m0).isGreaterThan(90);
        assertThat(s.get("m1.ticks") / m0).isCloseTo(2.0, within(0.06));
        assertThat(s.get("m2.ticks") / m0).isCloseTo(1.0, within(0.03));
        // m3 ran at 0.5 for 1 s, then at 1.5 for the rest: 5 ticks, then 1.5 x m0's.
        assertThat(s.get("m3.ticks") / (5 + 1.5 * (m0 - 10))).isCloseTo(1.0, within(0.05));
        // Readings at each member's last tick (at most one period before the end): T = m0's run time. A layer's
        // time starts at its stack's assembly, so an offset is invisible to layers and only rates show.
        final long t = s.get("m0.now_ms");
        assertThat(s.get("m1.now_ms")).isCloseTo(2 * t, within(250L));
        assertThat(s.get("m2.now_ms")).as("offset invisible").isCloseTo(t, within(150L));
        // m3 ran 1 s at 0.5, then T - 1 s at 1.5.
        assertThat(s.get("m3.now_ms")).isCloseTo(500 + 3 * (t - 1_000) / 2, within(300L));
        final long lastTrace = r.trace().events().get(r.trace().size() - 1).t();
        assertThat(lastTrace).as("trace timestamps stay in simulator time").isLessThan(20_000 * MS);
    }

    @Test
    void shouldHoldAMonotonicClockStillAfterABackwardJump() {
        final SimulationResult r = Simulator.options().stack("sim-probe").members(2).messages(100).seed(8)
            .settle(3_000 * MS).check(Set.of("I1"))
            .faults(FaultScript.parse("jump", "500ms clock 1 jump=-1s\n600ms clock 0 jump=2s", 2)).run();
        final Map<String, Long> s = stats(r);
        assertThat(s.get("m0.ticks") - s.get("m1.ticks")).as("m1's clock stood still for 1 s; m0's jump fired its "
            + "timer once").isCloseTo(10L, within(2L));
        assertThat(s.get("m0.now_ms") - s.get("m1.now_ms")).isCloseTo(3_000L, within(150L));
    }

    @Test
    void shouldLetASlowConsumerStartAnyTimeAndSurviveARestart() {
        // Casts from 0 to 1 s, the run ends at 2 s.
        final SimulationResult r = Simulator.options().stack("sim-probe").members(3).messages(2000).payload(100, 100)
            .seed(9).settle(1_000 * MS).check(Set.of("I1")).faults(FaultScript.parse("slow", """
                0s     slow-consumer 1 20KB/s
                500ms  slow-consumer 2 20KB/s
                300ms  crash 1
                400ms  restart 1
                """, 3)).run();
        final Map<String, Long> s = stats(r);
        final long m0 = r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER
            && e.p().equals("m0#0")).count();
        final long m2Early = r.trace().events().stream().filter(e -> e.type() == TraceEvent.Type.DELIVER
            && e.p().equals("m2#0") && e.t() < 1_500 * MS).count();
        assertThat(s.get("m0.consumed")).as("normal: consumed on delivery").isEqualTo(100 * m0);
        assertThat(s.get("m1.consumed")).as("the new incarnation is slow from its start, 1.6 s at 20 KB/s")
            .isCloseTo(32_000L, within(3_000L));
        assertThat(s.get("m2.consumed")).as("on delivery until 500 ms, then 1.5 s at 20 KB/s")
            .isCloseTo(100 * m2Early + 30_000L, within(3_000L));
    }

    @Test
    void shouldNotRestartAMemberMarkedNoRejoin() {
        final Simulator.Options o = Simulator.options().stack("sim-quitter").members(3).messages(100).seed(10)
            .settle(1_000 * MS).check(Set.of("I1")).faults(FaultScript.parse("q", "0s no-rejoin 1", 3));
        final SimulationResult r = o.run();
        assertThat(r.members().stream().map(m -> m.id().toString())).containsExactly("m0#1", "m1#0", "m2#1");
        assertThat(r.members().get(1).exitReason()).isEqualTo("test");
        final SimulationResult viaOption = Simulator.options().stack("sim-quitter").members(3).messages(100).seed(10)
            .settle(1_000 * MS).check(Set.of("I1")).noRejoin(2).run();
        assertThat(viaOption.members().stream().map(m -> m.id().toString())).containsExactly("m0#1", "m1#1", "m2#0");
    }

    @Test
    void shouldRestartAMemberThatLeftAsANewIncarnation() {
        final SimulationResult r = raw(11, "50ms leave 2\n150ms restart 2").run();
        assertThat(r.members().get(2).id().toString()).isEqualTo("m2#1");
        assertThat(r.trace().events()).noneMatch(e -> e.type() == TraceEvent.Type.CRASH);
    }

    @Test
    void shouldGiveTheSameTraceForTheSameSeedAndScheduleWithEveryNewKind() {
        final String script = """
            0s     clock 2 offset=-3s rate=0.95
            0s     slow-consumer 1 50KB/s
            20ms   link 0>1 loss=0.6 delay=3ms
            30ms   loopback 2 loss=0.3 delay=1ms
            60ms   reset 0-2 down=40ms
            80ms   partition 0 | 1,2
            120ms  heal
            150ms  link 0>1 clear
            """;
        final SimulationResult a = raw(12, script).run();
        final SimulationResult b = raw(12, script).run();
        final SimulationResult c = raw(13, script).run();
        assertThat(a.trace().hash()).isEqualTo(b.trace().hash());
        assertThat(c.trace().hash()).isNotEqualTo(a.trace().hash());
        for (final FaultSchedule.Action action : a.options().faults.actions()) {
            assertThat(a.trace().events()).anyMatch(e -> e.type() == TraceEvent.Type.FAULT
                && e.args().equals(action.toString()));
        }
    }

    @Test
    void shouldKeepAHostsLinkFaultsForItsNextIncarnation() {
        final SimulationResult r = raw(14, "0s link 0>1 delay=300ms\n10ms crash 1\n20ms restart 1").run();
        assertThat(r.members().get(1).id().toString()).isEqualTo("m1#1");
        final Map<String, List<Long>> l = latencies(r);
        assertThat(r.sumCounter("stack.reject_nonmember")).as("the static group rejects m1#1").isPositive();
        assertThat(l.get("m2#0<m0#0")).allMatch(t -> t < MS);
        assertThat(r.network().sent()).isPositive();
        // Frames from m0 to the new incarnation m1#1 still take 300 ms: none of m0's casts reach it before then.
        assertThat(l.get("m1#1<m0#0")).isNotEmpty().allMatch(t -> t >= 300 * MS);
    }

    private static Map<String, Long> stats(final SimulationResult r) {
        final Map<String, Long> out = new HashMap<>();
        for (final SimMember m : r.members()) {
            m.runtime().stats().snapshot().forEach((k, v) -> {
                final int dot = k.lastIndexOf('.');
                out.put(m.id().name() + k.substring(dot), v);
            });
        }
        return out;
    }
}
