package io.cairn.toolkit.live;

import io.cairn.api.Node;
import io.cairn.toolkit.Codec;
import io.cairn.toolkit.cohort.CoordinatorCohort;
import io.cairn.toolkit.lock.LockService;
import io.cairn.toolkit.rsm.ReplicatedMap;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One process of {@link ThreeProcessToolkitTest}: a member of a replicated map, a lock service and a
 * coordinator-cohort group over UDP, driven by commands on stdin, reporting on stdout (one line per event).
 * Its cohort handler, on {@code m0} only, reports {@code executing} and then stalls, so that the test can kill it
 * in the middle of a request.
 *
 * <p>Commands: {@code put K V}, {@code lock L}, {@code unlock L}, {@code request X}, {@code dump}.
 */
public final class ToolkitMember {
    private ToolkitMember() {
    }

    /**
     * @param args name, multicast port
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        final String me = args[0];
        final Config node = ConfigFactory.parseMap(Map.of("cairn.transport.udp.multicast-port", args[1]))
            .withFallback(ConfigFactory.load());
        final Config join = ConfigFactory.parseString("cairn.stack.transport = udp\ncairn.stack.members = [m0, m1, m2]");
        try (Node n = Node.builder().name(me).config(node).build()) {
            final ReplicatedMap<String, String> map = new ReplicatedMap<>(io.cairn.toolkit.Scheduler.shared(),
                Codec.utf8(), Codec.utf8());
            n.join("tk-map", "total", join, map.block());
            final LockService locks = new LockService(io.cairn.toolkit.Scheduler.shared());
            n.join("tk-locks", "total", join, locks.block());
            final CoordinatorCohort cohort = new CoordinatorCohort(io.cairn.toolkit.Scheduler.shared(),
                (from, id, req) -> {
                    if (me.equals("m0")) {
                        say("executing " + id);
                        sleep(60_000);
                    }
                    return ("done by " + me).getBytes(StandardCharsets.UTF_8);
                });
            n.join("tk-cohort", "vsync", join, cohort);
            locks.onLost(name -> say("lost " + name));
            report(map, locks, cohort);
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                final String[] w = line.trim().split(" ");
                switch (w[0]) {
                    case "put" -> map.put(w[1], w[2]).thenAccept(p -> say("put " + w[1]));
                    case "lock" -> locks.lock(w[1]).thenRun(() -> say("acquired " + w[1]));
                    case "unlock" -> locks.unlock(w[1]);
                    case "request" -> cohort.request(w[1].getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60))
                        .whenComplete((r, e) -> say(e == null ? "reply " + w[1] + " " + new String(r,
                            StandardCharsets.UTF_8) : "failed " + w[1] + " " + e));
                    case "dump" -> say("map " + new TreeMap<>(map.toMap()) + " holder " + locks.holder("L"));
                    default -> say("unknown " + line);
                }
            }
        }
    }

    /** Reports when all three groups have views of three members. */
    private static void report(final ReplicatedMap<String, String> map, final LockService locks,
                               final CoordinatorCohort cohort) {
        final Thread t = new Thread(() -> {
            boolean ready = false;
            while (!ready) {
                ready = full(map.block().view()) && full(locks.block().view()) && full(cohort.view());
                sleep(50);
            }
            say("ready");
        });
        t.setDaemon(true);
        t.start();
    }

    private static boolean full(final io.cairn.api.View v) {
        return v != null && v.size() == 3;
    }

    private static synchronized void say(final String s) {
        System.out.println(s);
        System.out.flush();
    }

    private static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
