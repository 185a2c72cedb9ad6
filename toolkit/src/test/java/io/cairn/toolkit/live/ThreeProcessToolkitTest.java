package io.cairn.toolkit.live;

import io.cairn.testkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three processes over UDP on loopback run a replicated map, a lock service and coordinator-cohort; the process
 * that holds the lock and is executing a request is killed (SIGKILL). The survivors agree on the map, the lock
 * passes to the next waiter, and the request gets exactly one reply, from the cohort member that took it over.
 */
class ThreeProcessToolkitTest {
    private static final String PORT = "45697";
    private final List<ChildProcess> members = new ArrayList<>();

    private void start(final String name) throws IOException {
        members.add(ChildProcess.start(ToolkitMember.class, List.of(), name, PORT));
    }

    private void tell(final int member, final String command) {
        members.get(member).tell(command);
    }

    private boolean await(final int member, final Predicate<String> line, final long seconds)
        throws InterruptedException {
        return members.get(member).await(line, seconds) != null;
    }

    private long count(final int member, final Predicate<String> line) {
        return members.get(member).count(line);
    }

    private List<String> out(final int member) {
        return members.get(member).lines();
    }

    @AfterEach
    void stop() throws IOException {
        // Each member's output (timestamped), kept for diagnosis: target/three-process-m<i>.out.
        for (int i = 0; i < members.size(); i++) {
            members.get(i).close();
            members.get(i).saveOutput(Path.of("target", "three-process-m" + i + ".out"));
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void survivorsAgreeTheLockPassesOnAndTheRequestGetsOneReply() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("m" + i);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(await(i, "ready"::equals, 90)).as("m" + i + " joined all three groups: " + out(i)).isTrue();
        }
        tell(0, "lock L");
        assertThat(await(0, "acquired L"::equals, 20)).as("m0 holds the lock: " + out(0)).isTrue();
        tell(1, "lock L");
        tell(2, "lock L");
        for (int i = 0; i < 3; i++) {
            tell(i, "put k" + i + " v" + i);
        }
        for (int i = 0; i < 3; i++) {
            final String want = "put k" + i;
            assertThat(await(i, want::equals, 20)).as(out(i).toString()).isTrue();
        }
        // Requests from m1 until one lands on m0 as its primary, which then stalls in the middle of it.
        int n = 0;
        while (out(0).stream().noneMatch(l -> l.startsWith("executing"))) {
            assertThat(n).as("no request was given to m0: " + out(1)).isLessThan(60);
            tell(1, "request r" + ++n);
            await(0, l -> l.startsWith("executing"), 1);
        }
        final String executing = out(0).stream().filter(l -> l.startsWith("executing")).findFirst().orElseThrow();
        final String id = executing.substring(executing.indexOf('/') + 1);
        members.get(0).kill();

        // The lock passes to whichever of m1 and m2 queued first in the total order.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out(1).contains("acquired L") && !out(2).contains("acquired L")
            && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(out(1).contains("acquired L") || out(2).contains("acquired L"))
            .as("the lock passed on: " + out(1) + " / " + out(2)).isTrue();
        final String reply = "reply r" + id + " ";
        assertThat(await(1, l -> l.startsWith(reply), 60)).as("the stalled request was answered: " + out(1))
            .isTrue();
        // Every request m1 made gets exactly one reply, the one m0 stalled on included.
        for (int r = 1; r <= n; r++) {
            final String each = "reply r" + r + " ";
            assertThat(await(1, l -> l.startsWith(each), 30)).as(each + out(1)).isTrue();
        }
        // No waiting for a duplicate that might come (CohortProperties checks that in virtual time): count what came.
        for (int r = 1; r <= n; r++) {
            final String each = "reply r" + r + " ";
            assertThat(count(1, l -> l.startsWith(each))).as(each + out(1)).isEqualTo(1);
        }
        assertThat(out(1).stream().filter(l -> l.startsWith(reply)).findFirst().orElseThrow())
            .doesNotContain("done by m0");
        tell(1, "dump");
        tell(2, "dump");
        assertThat(await(1, l -> l.startsWith("map "), 20)).isTrue();
        assertThat(await(2, l -> l.startsWith("map "), 20)).isTrue();
        final String dump1 = out(1).stream().filter(l -> l.startsWith("map ")).findFirst().orElseThrow();
        final String dump2 = out(2).stream().filter(l -> l.startsWith("map ")).findFirst().orElseThrow();
        assertThat(dump1).isEqualTo(dump2).contains("k0=v0", "k1=v1", "k2=v2").doesNotContain("holder m0")
            .doesNotContain("holder null");
    }
}
