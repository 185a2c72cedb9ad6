package io.cairn.client;

import io.cairn.testkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three member processes over UDP ({@code total}) serve two clients; the member one client is connected to is
 * killed (SIGKILL) in the middle of its stream. The client fails over, and every message of both clients is handled
 * exactly once, in each client's order, in the same order on both survivors, with exactly one reply each.
 */
class ClientFailoverTest {
    private static final String PORT = "45731";
    private static final int EACH = 3000;
    private final List<ChildProcess> members = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (int i = 0; i < members.size(); i++) {
            members.get(i).close();
            members.get(i).saveOutput(Path.of("target", "client-failover-m" + i + ".out"));
        }
    }

    @Test
    void everyCastOfAClientWhoseMemberIsKilledIsHandledOnceInOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            members.add(ChildProcess.start(GatewayMember.class, List.of("-Xmx256m"), "m" + i, PORT));
        }
        final List<InetSocketAddress> gateways = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final String l = members.get(i).await(s -> s.startsWith("gateway "), 90);
            assertThat(l).as("m" + i + " in a view of three: " + members.get(i).lines()).isNotNull();
            gateways.add(new InetSocketAddress("127.0.0.1", Integer.parseInt(l.substring(8))));
        }
        // a starts on m0 (to be killed), b on m1; each lists the others to fail over to.
        try (GroupClient a = GroupClient.connect(gateways, Duration.ofSeconds(10));
             GroupClient b = GroupClient.connect(List.of(gateways.get(1), gateways.get(2), gateways.get(0)),
                 Duration.ofSeconds(10))) {
            assertThat(a.member()).startsWith("m0");
            final List<CompletableFuture<byte[]>> ra = new ArrayList<>();
            final List<CompletableFuture<byte[]>> rb = new ArrayList<>();
            for (int i = 1; i <= EACH; i++) {
                ra.add(a.request(("a" + i).getBytes(StandardCharsets.UTF_8)));
                rb.add(b.request(("b" + i).getBytes(StandardCharsets.UTF_8)));
                if (i == EACH / 3) {
                    // Mid-stream: wait until some of a's messages are handled, then kill its member.
                    ra.get(EACH / 6).get(30, TimeUnit.SECONDS);
                    members.get(0).kill();
                }
            }
            CompletableFuture.allOf(ra.toArray(new CompletableFuture<?>[0])).get(90, TimeUnit.SECONDS);
            CompletableFuture.allOf(rb.toArray(new CompletableFuture<?>[0])).get(90, TimeUnit.SECONDS);
            for (int i = 1; i <= EACH; i++) {
                assertThat(new String(ra.get(i - 1).get(), StandardCharsets.UTF_8)).isEqualTo("ok " + i);
                assertThat(new String(rb.get(i - 1).get(), StandardCharsets.UTF_8)).isEqualTo("ok " + i);
            }
            assertThat(a.stats().get("failovers")).as("a failed over: " + a.stats()).isPositive();
            assertThat(a.member()).isNotNull().doesNotStartWith("m0");

            for (int i = 1; i < 3; i++) {
                members.get(i).tell("dump");
            }
            final String log1 = members.get(1).await(s -> s.startsWith("log "), 20);
            final String log2 = members.get(2).await(s -> s.startsWith("log "), 20);
            assertThat(log1).as("both survivors handled every message once").isEqualTo("log " + 2 * EACH
                + log1.substring(log1.lastIndexOf(' '))).isEqualTo(log2);
            for (final GroupClient c : List.of(a, b)) {
                for (int i = 1; i < 3; i++) {
                    assertThat(members.get(i).await(s -> s.startsWith("client " + c.id() + " "), 20))
                        .as("each client's messages 1.." + EACH + " in order on m" + i)
                        .isEqualTo("client " + c.id() + " " + EACH + " true");
                }
            }
        }
    }
}
