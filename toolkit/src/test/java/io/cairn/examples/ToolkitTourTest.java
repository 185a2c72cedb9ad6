package io.cairn.examples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every example of {@link ToolkitTour} on real threads and checks what it promises. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolkitTourTest {
    private ToolkitTour tour;

    @BeforeEach
    void start() {
        tour = new ToolkitTour();
    }

    @AfterEach
    void stop() {
        tour.close();
    }

    @Test
    void requestsGetEveryReply() throws Exception {
        assertThat(tour.requests()).isEqualTo(3);
    }

    @Test
    void coordinatorCohortAnswersOnce() throws Exception {
        assertThat(tour.coordinatorCohort()).startsWith("done b#0/1");
    }

    @Test
    void mapReadsThroughTheOrderSeeTheWrite() throws Exception {
        assertThat(tour.replicatedMap()).isEqualTo("blue");
    }

    @Test
    void counterAddsUp() throws Exception {
        assertThat(tour.replicatedCounter()).isEqualTo(6);
    }

    @Test
    void everyMemberNamesTheOldestAsLeader() {
        final List<io.cairn.api.MemberId> leaders = tour.leader();
        assertThat(leaders).hasSize(3).allMatch(l -> l.equals(leaders.get(0)));
        assertThat(leaders.get(0).name()).isEqualTo("a");
    }

    @Test
    void consensusDecidesTheMajoritysInput() throws Exception {
        assertThat(tour.consensus()).containsExactly("coffee", "coffee", "coffee");
    }

    @Test
    void locksAreGrantedOneAtATime() throws Exception {
        assertThat(tour.locks()).containsExactly("a", "b", "c");
    }

    @Test
    void snapshotHasAPartPerMember() throws Exception {
        assertThat(tour.snapshot()).isEqualTo(3);
    }
}
