package io.cairn.toolkit.check;

import io.cairn.toolkit.Recorder.Op;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each toolkit check on hand-made histories: a correct one passes, and one mutation per rule is flagged with that
 * rule's code (so a check that stopped firing would fail here, not pass silently in the simulator).
 */
class ChecksTest {
    private static Op op(final String block, final String member, final String op, final String name,
                         final String value, final long index, final String view) {
        return new Op(block, member, op, name, value, index, view);
    }

    private static List<Op> mapHistory() {
        final List<Op> h = new ArrayList<>();
        for (final String m : List.of("a#0", "b#0")) {
            h.add(op("map", m, "view", "", "a#0,b#0", 1, "1:a#0"));
            h.add(op("map", m, "restore", "a#0", "sync", 0, "1:a#0"));
        }
        h.add(op("map", "a#0", "invoke", "k", "#1 put", -1, "1:a#0"));
        for (final String m : List.of("a#0", "b#0")) {
            h.add(op("map", m, "w", "k", "v1", 1, "1:a#0"));
            h.add(op("map", m, "apply", "a#0/1", "h1", 1, "1:a#0"));
        }
        h.add(op("map", "a#0", "put", "k", "#1 v1 prev=null", 1, "1:a#0"));
        h.add(op("map", "b#0", "invoke", "k", "#1 get", -1, "1:a#0"));
        h.add(op("map", "b#0", "get", "k", "#1 =v1", 1, "1:a#0"));
        h.add(op("map", "a#0", "invoke", "k", "#2 syncGet", -1, "1:a#0"));
        h.add(op("map", "a#0", "syncGet", "k", "#2 =v1", 1, "1:a#0"));
        return h;
    }

    private static List<String> map(final List<Op> h) {
        final List<String> v = new ArrayList<>(Checks.perLife(h, Checks::applyAgreement));
        v.addAll(Checks.perLife(h, Checks::mapHistory));
        return v;
    }

    @Test
    void aCorrectMapHistoryPasses() {
        assertThat(map(mapHistory())).isEmpty();
    }

    @Test
    void twoCommandsAtOneIndexAreFlagged() {
        final List<Op> h = mapHistory();
        h.set(h.indexOf(op("map", "b#0", "apply", "a#0/1", "h1", 1, "1:a#0")),
            op("map", "b#0", "apply", "b#0/1", "h2", 1, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("A1"));
    }

    @Test
    void aGapInAReplicasIndicesIsFlagged() {
        final List<Op> h = mapHistory();
        h.add(op("map", "b#0", "apply", "a#0/3", "h3", 3, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("A2"));
    }

    @Test
    void aStaleReadIsFlagged() {
        final List<Op> h = mapHistory();
        h.set(h.indexOf(op("map", "b#0", "get", "k", "#1 =v1", 1, "1:a#0")), op("map", "b#0", "get", "k", "#1 =null",
            1, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("M2"));
    }

    @Test
    void aWrongPreviousValueIsFlagged() {
        final List<Op> h = mapHistory();
        h.set(h.indexOf(op("map", "a#0", "put", "k", "#1 v1 prev=null", 1, "1:a#0")),
            op("map", "a#0", "put", "k", "#1 v1 prev=v0", 1, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("M2"));
    }

    @Test
    void aWriteNoReplicaAppliedIsFlagged() {
        final List<Op> h = mapHistory();
        h.add(op("map", "a#0", "put", "j", "#3 v9 prev=null", 1, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("M1"));
    }

    @Test
    void goingBackInTheCallersOwnOrderIsFlagged() {
        final List<Op> h = mapHistory();
        h.add(op("map", "a#0", "invoke", "k", "#3 get", -1, "1:a#0"));
        h.add(op("map", "a#0", "get", "k", "#3 =null", 0, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("M3"));
    }

    @Test
    void aNewLifeOfTheGroupIsJudgedOnItsOwn() {
        final List<Op> h = mapHistory();
        for (final String m : List.of("a#1", "b#1")) {
            h.add(op("map", m, "view", "", "a#1,b#1", 1, "1:a#1"));
            h.add(op("map", m, "restore", "a#1", "sync", 0, "1:a#1"));
            h.add(op("map", m, "w", "k", "v7", 1, "1:a#1"));
            h.add(op("map", m, "apply", "b#1/1", "h7", 1, "1:a#1"));
        }
        assertThat(map(h)).isEmpty();
        assertThat(Checks.mapHistory(h)).anyMatch(s -> s.startsWith("M1"));
    }

    @Test
    void aCrashedMembersLastViewIsExcusedOnlyThere() {
        final List<Op> h = mapHistory();
        h.add(op("map", "a#0", "w", "k", "lost", 2, "1:a#0"));
        h.add(op("map", "a#0", "apply", "a#0/2", "hx", 2, "1:a#0"));
        h.add(op("map", "b#0", "w", "k", "v2", 2, "1:a#0"));
        h.add(op("map", "b#0", "apply", "b#0/2", "hy", 2, "1:a#0"));
        assertThat(map(h)).anyMatch(s -> s.startsWith("A1"));
        h.add(op("sim", "a#0", "crash", "", "", -1, ""));
        assertThat(map(Checks.excuseNonUniform(h))).isEmpty();
    }

    private static List<Op> lockHistory() {
        final List<Op> h = new ArrayList<>();
        for (final String m : List.of("a#0", "b#0")) {
            h.add(op("lock", m, "view", "", "a#0,b#0", 1, "1:a#0"));
            h.add(op("lock", m, "grant", "L", "b#0", 1, "1:a#0"));
        }
        h.add(op("lock", "b#0", "acquired", "L", "b#0", 1, "1:a#0"));
        h.add(op("lock", "a#0", "view", "", "a#0", 2, "2:a#0"));
        h.add(op("lock", "a#0", "release", "L", "b#0", 1, "2:a#0"));
        h.add(op("lock", "a#0", "grant", "L", "a#0", 2, "2:a#0"));
        h.add(op("lock", "a#0", "acquired", "L", "a#0", 2, "2:a#0"));
        return h;
    }

    @Test
    void aCorrectLockHistoryPasses() {
        assertThat(Checks.locks(lockHistory())).isEmpty();
    }

    @Test
    void grantingAHeldLockIsFlagged() {
        final List<Op> h = lockHistory();
        h.add(3, op("lock", "a#0", "grant", "L", "a#0", 1, "1:a#0"));
        assertThat(Checks.locks(h)).anyMatch(s -> s.startsWith("L1"));
    }

    @Test
    void keepingADepartedHoldersLockIsFlagged() {
        final List<Op> h = lockHistory();
        h.remove(op("lock", "a#0", "release", "L", "b#0", 1, "2:a#0"));
        h.remove(op("lock", "a#0", "grant", "L", "a#0", 2, "2:a#0"));
        h.remove(op("lock", "a#0", "acquired", "L", "a#0", 2, "2:a#0"));
        h.add(op("lock", "a#0", "apply", "a#0/9", "h", 2, "2:a#0"));
        assertThat(Checks.locks(h)).anyMatch(s -> s.startsWith("L2"));
    }

    @Test
    void replicasGrantingToDifferentMembersAreFlagged() {
        final List<Op> h = lockHistory();
        h.set(3, op("lock", "b#0", "grant", "L", "a#0", 1, "1:a#0"));
        assertThat(Checks.locks(h)).anyMatch(s -> s.startsWith("L3"));
    }

    @Test
    void believingInALockNeverGrantedIsFlagged() {
        final List<Op> h = lockHistory();
        h.add(op("lock", "b#0", "acquired", "M", "b#0", 1, "1:a#0"));
        assertThat(Checks.locks(h)).anyMatch(s -> s.startsWith("L4"));
    }

    private static List<Op> leaderHistory(final String secondLeader, final String secondView) {
        return new ArrayList<>(List.of(
            op("leader", "a#0", "view", "", "a#0,b#0", 1, "1:a#0"),
            op("leader", "a#0", "leader", "", "a#0", 1, "1:a#0"),
            op("leader", "b#0", "view", "", "a#0,b#0", 1, secondView),
            op("leader", "b#0", "leader", "", secondLeader, 1, secondView)));
    }

    @Test
    void leadersAreChecked() {
        assertThat(Checks.leaders(leaderHistory("a#0", "1:a#0"))).isEmpty();
        assertThat(Checks.leaders(leaderHistory("b#0", "1:a#0"))).anyMatch(s -> s.startsWith("LE1"))
            .anyMatch(s -> s.startsWith("LE2"));
        final List<Op> twoViews = leaderHistory("a#0", "1:a#0");
        twoViews.add(op("leader", "c#0", "view", "", "c#0,b#0", 1, "1:c#0"));
        twoViews.add(op("leader", "c#0", "leader", "", "c#0", 1, "1:c#0"));
        assertThat(Checks.leaders(twoViews)).anyMatch(s -> s.startsWith("LE3"));
    }

    private static List<Op> requestHistory() {
        return new ArrayList<>(List.of(
            op("requests", "a#0", "request", "a#0/1", "majority", 1, "1:a#0"),
            op("requests", "a#0", "handle", "a#0/1", "", 1, "1:a#0"),
            op("requests", "b#0", "handle", "a#0/1", "", 1, "1:a#0"),
            op("requests", "a#0", "request", "a#0/2", "first", 2, "1:a#0"),
            op("requests", "a#0", "handle", "a#0/2", "", 2, "1:a#0"),
            op("requests", "b#0", "handle", "a#0/2", "", 2, "1:a#0"),
            op("requests", "a#0", "complete", "a#0/1", "a#0,b#0", 3, "1:a#0")));
    }

    @Test
    void requestsAreChecked() {
        assertThat(Checks.requests(requestHistory(), true)).isEmpty();
        final List<Op> twice = requestHistory();
        twice.add(op("requests", "b#0", "handle", "a#0/1", "", 3, "1:a#0"));
        assertThat(Checks.requests(twice, false)).anyMatch(s -> s.startsWith("R1"));
        final List<Op> stranger = requestHistory();
        stranger.set(6, op("requests", "a#0", "complete", "a#0/1", "a#0,c#0", 3, "1:a#0"));
        assertThat(Checks.requests(stranger, true)).anyMatch(s -> s.startsWith("R2"));
        final List<Op> few = requestHistory();
        few.set(6, op("requests", "a#0", "complete", "a#0/1", "a#0", 3, "1:a#0"));
        assertThat(Checks.requests(few, true)).anyMatch(s -> s.startsWith("R3"));
        final List<Op> reordered = requestHistory();
        reordered.set(5, op("requests", "b#0", "handle", "a#0/1", "", 2, "1:a#0"));
        reordered.set(2, op("requests", "b#0", "handle", "a#0/2", "", 1, "1:a#0"));
        assertThat(Checks.requests(reordered, true)).anyMatch(s -> s.startsWith("R4"));
        assertThat(Checks.requests(reordered, false)).isEmpty();
    }

    @Test
    void cohortRepliesAreChecked() {
        final List<Op> h = new ArrayList<>(List.of(
            op("cohort", "b#0", "execute", "a#0/1", "", 1, "1:a#0"),
            op("cohort", "a#0", "reply", "a#0/1", "b#0", 1, "1:a#0")));
        assertThat(Checks.cohort(h)).isEmpty();
        final List<Op> twice = new ArrayList<>(h);
        twice.add(op("cohort", "c#0", "execute", "a#0/1", "", 1, "2:a#0"));
        twice.add(op("cohort", "a#0", "duplicate", "a#0/1", "c#0", 1, "2:a#0"));
        assertThat(Checks.cohort(twice)).anyMatch(s -> s.startsWith("C1"));
        final List<Op> unexecuted = new ArrayList<>(List.of(op("cohort", "a#0", "reply", "a#0/1", "b#0", 1, "1:a#0")));
        assertThat(Checks.cohort(unexecuted)).anyMatch(s -> s.startsWith("C2"));
    }

    @Test
    void consensusIsChecked() {
        final List<Op> h = new ArrayList<>(List.of(
            op("consensus", "a#0", "input", "i", "x", 1, "1:a#0"),
            op("consensus", "b#0", "input", "i", "y", 1, "1:a#0"),
            op("consensus", "a#0", "decide", "i", "x", 1, "1:a#0"),
            op("consensus", "b#0", "decide", "i", "x", 1, "1:a#0")));
        assertThat(Checks.consensus(h)).isEmpty();
        final List<Op> split = new ArrayList<>(h);
        split.set(3, op("consensus", "b#0", "decide", "i", "y", 1, "1:a#0"));
        assertThat(Checks.consensus(split)).anyMatch(s -> s.startsWith("K1"));
        final List<Op> invented = new ArrayList<>(h);
        invented.add(op("consensus", "a#0", "decide", "j", "z", 1, "1:a#0"));
        assertThat(Checks.consensus(invented)).anyMatch(s -> s.startsWith("K2"));
    }

    private static List<Op> snapshotHistory() {
        return new ArrayList<>(List.of(
            op("snapshot", "a#0", "send", "", "m1", -1, "1:a#0"),
            op("snapshot", "a#0", "capture", "a#0/1", "", -1, "1:a#0"),
            op("snapshot", "a#0", "send", "", "m2", -1, "1:a#0"),
            op("snapshot", "b#0", "capture", "a#0/1", "", -1, "1:a#0"),
            op("snapshot", "b#0", "deliver", "a#0", "m1", -1, "1:a#0"),
            op("snapshot", "b#0", "deliver", "a#0", "m2", -1, "1:a#0"),
            op("snapshot", "a#0", "channel", "a#0/1", "a#0>b#0:m1", -1, "1:a#0"),
            op("snapshot", "a#0", "cut", "a#0/1", "", -1, "1:a#0")));
    }

    @Test
    void snapshotsAreChecked() {
        assertThat(Checks.snapshots(snapshotHistory())).isEmpty();
        final List<Op> wrongChannel = snapshotHistory();
        wrongChannel.set(6, op("snapshot", "a#0", "channel", "a#0/1", "a#0>b#0:m1,m2", -1, "1:a#0"));
        assertThat(Checks.snapshots(wrongChannel)).anyMatch(s -> s.startsWith("SN2"));
        final List<Op> inconsistent = snapshotHistory();
        inconsistent.add(3, op("snapshot", "b#0", "deliver", "a#0", "m2", -1, "1:a#0"));
        inconsistent.remove(6);
        assertThat(Checks.snapshots(inconsistent)).anyMatch(s -> s.startsWith("SN1"));
    }

    @Test
    void grantingOutOfTurnIsFlagged() {
        final List<Op> h = new ArrayList<>(List.of(
            op("lock", "a#0", "view", "", "a#0,b#0,c#0", 1, "1:a#0"),
            op("lock", "a#0", "queue", "L", "b#0/1", 1, "1:a#0"),
            op("lock", "a#0", "grant", "L", "b#0", 1, "1:a#0"),
            op("lock", "a#0", "queue", "L", "a#0/1", 2, "1:a#0"),
            op("lock", "a#0", "queue", "L", "c#0/1", 3, "1:a#0"),
            op("lock", "a#0", "release", "L", "b#0", 4, "1:a#0"),
            op("lock", "a#0", "grant", "L", "c#0", 4, "1:a#0")));
        assertThat(Checks.locks(h)).anyMatch(s -> s.startsWith("L5"));
        h.set(6, op("lock", "a#0", "grant", "L", "a#0", 4, "1:a#0"));
        assertThat(Checks.locks(h)).isEmpty();
    }

    @Test
    void aViewThatKeepsNoMajorityIsFlagged() {
        final List<Op> h = new ArrayList<>(List.of(
            op("leader", "c#0", "view", "", "a#0,b#0,c#0", 1, "1:a#0"),
            op("leader", "c#0", "leader", "", "a#0", 1, "1:a#0"),
            op("leader", "c#0", "view", "", "c#0,d#0,e#0", 2, "2:c#0"),
            op("leader", "c#0", "leader", "", "c#0", 2, "2:c#0")));
        assertThat(Checks.leaders(h)).anyMatch(s -> s.startsWith("LE4"));
    }

    @Test
    void anAllRequestThatStopsShortIsFlagged() {
        final List<Op> h = new ArrayList<>(List.of(
            op("requests", "a#0", "request", "a#0/1", "all", 1, "1:a#0"),
            op("requests", "a#0", "handle", "a#0/1", "", 1, "1:a#0"),
            op("requests", "b#0", "handle", "a#0/1", "", 1, "1:a#0"),
            op("requests", "a#0", "complete", "a#0/1", "a#0|0|0", 3, "1:a#0")));
        assertThat(Checks.requests(h, true)).anyMatch(s -> s.startsWith("R3"));
        h.set(3, op("requests", "a#0", "complete", "a#0/1", "a#0,b#0|1|0", 3, "1:a#0"));
        assertThat(Checks.requests(h, true)).isEmpty();
    }
}
