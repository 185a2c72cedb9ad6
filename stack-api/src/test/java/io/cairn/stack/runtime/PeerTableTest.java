package io.cairn.stack.runtime;

import io.cairn.stack.spi.PeerLiveness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's peer table: stacks with different time origins see one record per (transport, own key, peer key) in
 * their own time; records live while a stack holds them; generations only rise.
 */
class PeerTableTest {
    private static final long MS = 1_000_000;
    private static final long NEVER = Long.MIN_VALUE / 2;

    @Test
    void shouldShareOneRecordPerTransportAndKeysInEachStacksOwnTime() {
        final PeerTable table = new PeerTable();
        final PeerLiveness early = table.forStack("udp", 1, 1_000);
        final PeerLiveness late = table.forStack("udp", 1, 5_000);
        final PeerLiveness rdma = table.forStack("rdma", 1, 5_000);
        final PeerLiveness other = table.forStack("udp", 2, 5_000);
        final PeerLiveness.Peer a = early.acquire(9);
        final PeerLiveness.Peer b = late.acquire(9);
        final PeerLiveness.Peer c = rdma.acquire(9);
        final PeerLiveness.Peer d = other.acquire(9);
        assertThat(table.size()).isEqualTo(3);
        assertThat(b.lastHeard()).isEqualTo(NEVER);
        a.heard(6_000); // node time 7,000
        assertThat(b.lastHeard()).isEqualTo(2_000);
        assertThat(c.lastHeard()).as("another transport").isEqualTo(NEVER);
        assertThat(d.lastHeard()).as("another own key").isEqualTo(NEVER);
        b.heard(1_000); // node time 6,000: older, ignored
        assertThat(a.lastHeard()).isEqualTo(6_000);
        b.beatSent(3_000);
        assertThat(a.lastBeatSent()).isEqualTo(7_000);
        a.suspect(10);
        assertThat(b.lastSuspected()).isEqualTo(1_010 - 5_000);
        b.generation(4);
        a.generation(3);
        assertThat(a.generation()).isEqualTo(4);
        early.release(a);
        early.release(a); // a second release of one handle changes nothing
        assertThat(table.size()).isEqualTo(3);
        late.release(b);
        assertThat(table.size()).isEqualTo(2);
        assertThat(late.acquire(9).lastHeard()).as("a new record").isEqualTo(NEVER);
    }

    @Test
    void shouldRaiseTheNodesGenerationForEveryStack() {
        final PeerTable table = new PeerTable();
        final PeerLiveness one = table.forStack("udp", 1, 0);
        final PeerLiveness two = table.forStack("tcp", 2, 0);
        assertThat(one.generation()).isZero();
        one.changed();
        two.changed();
        assertThat(one.generation()).isEqualTo(2).isEqualTo(two.generation());
    }

    @Test
    void shouldRaiseTheGenerationOnceWhenOneStackStallsWhileAnotherRuns() {
        final PeerTable table = new PeerTable();
        final PeerLiveness busy = table.forStack("udp", 1, 0);
        final PeerLiveness stuck = table.forStack("udp", 2, 0);
        final PeerLiveness gone = table.forStack("udp", 3, 0);
        for (long t = 0; t <= 900 * MS; t += 100 * MS) {
            tick(busy, t);
            tick(stuck, t);
            tick(gone, t);
        }
        gone.retire();
        assertThat(busy.generation()).as("all running, a retired stack is not watched").isZero();
        for (long t = 1_000 * MS; t <= 3_000 * MS; t += 100 * MS) {
            tick(busy, t);
        }
        assertThat(busy.generation()).as("stuck since 900 ms: raised once, not on every tick").isEqualTo(1);
        tick(stuck, 3_050 * MS);
        for (long t = 3_100 * MS; t <= 5_000 * MS; t += 100 * MS) {
            tick(busy, t);
        }
        assertThat(busy.generation()).as("it ran again, then stalled again").isEqualTo(2);
    }

    @Test
    void shouldJudgeNobodyOnAStacksFirstReport() {
        final PeerTable table = new PeerTable();
        final PeerLiveness old = table.forStack("udp", 1, 0);
        tick(old, 0);
        // A stack that starts after a long pause cannot tell it was paused: it judges nobody.
        tick(table.forStack("udp", 2, 0), 5_000 * MS);
        assertThat(old.generation()).isZero();
    }

    @Test
    void shouldNotTakeAPauseOfTheWholeProcessForAStall() {
        final PeerTable table = new PeerTable();
        final PeerLiveness one = table.forStack("udp", 1, 0);
        final PeerLiveness two = table.forStack("udp", 2, 0);
        tick(one, 0);
        tick(two, 0);
        tick(one, 100 * MS);
        tick(two, 100 * MS);
        // Both were stopped for 5 s (a GC pause, a stopped VM): the first to run again sees the other late, but was
        // itself as late.
        tick(one, 5_000 * MS);
        tick(two, 5_001 * MS);
        assertThat(one.generation()).isZero();
    }

    /** A stack reporting that it runs at {@code nowNs}, ticking every 100 ms and judged stalled after a second. */
    private static void tick(final PeerLiveness stack, final long nowNs) {
        stack.running(nowNs, 100 * MS, 1_000 * MS);
    }
}
