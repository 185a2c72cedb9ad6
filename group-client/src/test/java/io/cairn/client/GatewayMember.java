package io.cairn.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process of {@link ClientFailoverTest}: a member of group {@code clients} over UDP with the {@code total}
 * stack, serving clients on a gateway. Its handler logs every (client, seq) it handles and replies {@code ok seq}.
 * Prints {@code gateway PORT} once its view holds all three members; on {@code dump}, prints {@code log N HASH}
 * (the order of everything it handled) and, per client, {@code client ID COUNT CONTIGUOUS}.
 */
public final class GatewayMember {
    private GatewayMember() {
    }

    /**
     * @param args name, multicast port
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        final Config node = ConfigFactory.parseMap(Map.of("cairn.transport.udp.multicast-port", args[1]))
            .withFallback(ConfigFactory.load());
        final Config join = ConfigFactory.parseString("cairn.stack.transport = udp\ncairn.stack.members = [m0, m1, m2]");
        final List<String> log = new ArrayList<>();
        final Map<ClientId, long[]> perClient = new LinkedHashMap<>();
        final ClientHandler handler = (client, seq, payload) -> {
            synchronized (log) {
                log.add(client + "/" + seq);
                final long[] c = perClient.computeIfAbsent(client, k -> new long[] {0, 1});
                if (seq != c[0] + 1) {
                    c[1] = 0;
                }
                c[0] = seq;
            }
            return ("ok " + seq).getBytes(StandardCharsets.UTF_8);
        };
        try (Node n = Node.builder().name(args[0]).config(node).build()) {
            final ClientGateway g = new ClientGateway(handler, new InetSocketAddress("127.0.0.1", 0));
            n.join("clients", "total", join, g);
            final Thread ready = new Thread(() -> {
                while (g.view() == null || g.view().size() < 3) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
                System.out.println("gateway " + g.address().getPort());
            });
            ready.setDaemon(true);
            ready.start();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("dump")) {
                    synchronized (log) {
                        System.out.println("log " + log.size() + " " + String.join(",", log).hashCode());
                        perClient.forEach((c, v) -> System.out.println("client " + c + " " + v[0] + " "
                            + (v[1] == 1)));
                    }
                    System.out.println("stats " + g.stats());
                }
            }
        }
    }
}
