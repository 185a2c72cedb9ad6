package io.cairn.toolkit.sim;

import io.cairn.toolkit.check.Checks;
import io.cairn.toolkit.request.Replies;
import io.cairn.toolkit.request.Requests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests with k replies under faults: replies only from distinct members that handled the request, meeting the
 * policy; one handling order on a total-order stack; and no request waits for the departed: with a time-out far
 * beyond the run, every request of a member still in the group has completed or failed by the end, none by
 * time-out.
 */
class RequestProperties {
    static Stream<Arguments> seeds() {
        return Seeds.of(70);
    }

    @ParameterizedTest(name = "N = {0}, seed {1}")
    @MethodSource("seeds")
    void requestsNeverWaitForTheDeparted(final int n, final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final Scenario<Requests> s = new Scenario<>("total", n, seed, (node, sched, rec, join) -> {
            final Requests q = new Requests(sched, (from, req) -> r.nextInt(10) == 0 ? null
                : new StringBuilder(new String(req)).reverse().toString().getBytes());
            q.recorder(rec);
            node.join("requests", "total", join, q);
            return q;
        }, q -> q);
        final Replies[] policies = {Replies.first(), Replies.majority(), Replies.all(), Replies.atLeast(2)};
        final int[] no = {0};
        s.run(3_000_000_000L, 5_000_000L, () -> {
            final int h = s.randomReady();
            if (h >= 0) {
                s.sim().app(h).request(("q" + ++no[0]).getBytes(), policies[r.nextInt(policies.length)],
                    Duration.ofSeconds(120));
            }
        }, () -> MapProperties.coordinatorHost(s, Requests::view), 2_000_000_000L);
        final List<String> v = new ArrayList<>(Checks.requests(s.ops(), true));
        for (int h = 0; h < n; h++) {
            if (s.sim().app(h).pending() > 0) {
                v.add("R5 m" + h + " still waits for " + s.sim().app(h).pending() + " requests at the end");
            }
        }
        s.ops().stream().filter(o -> o.op().equals("failed") && o.value().equals("TimeoutException"))
            .forEach(o -> v.add("R5 " + o + ": timed out"));
        v.addAll(s.progress("complete"));
        s.close();
        if (System.getProperty("cairn.toolkit.dump") != null) {
            s.ops().forEach(System.out::println);
            System.out.println(s.sim().log());
        }
        assertThat(s.report(v)).isNull();
    }
}
