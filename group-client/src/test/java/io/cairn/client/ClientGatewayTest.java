package io.cairn.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cairn.api.Node;
import io.cairn.testkit.LiveGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two members in one JVM (in-process transport, {@code total}) with gateways: a resent message is handled once and
 * its reply returned again; the dedup table reaches a joiner; bad input from a client is dropped and counted.
 */
class ClientGatewayTest {
    private final List<Node> nodes = new ArrayList<>();
    private final List<ClientGateway> gateways = new ArrayList<>();
    private final List<List<String>> handled = new ArrayList<>();

    private ClientGateway member(final String name, final String network) {
        final Config c = ConfigFactory.parseString("cairn.transport.inproc.network = " + network)
            .withFallback(ConfigFactory.load());
        final Node n = Node.builder().name(name).config(c).build();
        nodes.add(n);
        final List<String> log = new CopyOnWriteArrayList<>();
        handled.add(log);
        final ClientGateway g = new ClientGateway((client, seq, payload) -> {
            log.add(seq + ":" + new String(payload, StandardCharsets.UTF_8));
            return ("re " + seq).getBytes(StandardCharsets.UTF_8);
        }, new InetSocketAddress("127.0.0.1", 0));
        n.join("g", "total", ConfigFactory.parseString("cairn.stack.transport = inproc\ncairn.stack.members = [a, b, c]"),
            g);
        gateways.add(g);
        return g;
    }

    @AfterEach
    void close() {
        nodes.forEach(Node::close);
        gateways.forEach(ClientGateway::close);
    }

    private static void write(final Socket s, final byte type, final byte[] body) throws IOException {
        s.getOutputStream().write(ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put(type).put(body)
            .array());
    }

    private static byte[] cast(final long seq, final long acked, final String payload) {
        final byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + p.length).putLong(seq).putLong(acked).put(p).array();
    }

    private static String read(final DataInputStream in) throws IOException {
        final int length = in.readInt();
        final byte type = in.readByte();
        final byte[] body = new byte[length - 1];
        in.readFully(body);
        if (type == Wire.REPLY) {
            return "reply " + ByteBuffer.wrap(body).getLong() + " " + new String(body, 8, body.length - 8,
                StandardCharsets.UTF_8);
        }
        if (type == Wire.WELCOME) {
            return type + " " + new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
        }
        return type + " " + new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void shouldHandleAResentMessageOnceReturnTheKeptReplyAndHandTheTableToAJoiner() throws Exception {
        final ClientGateway a = member("a", "gw1");
        final ClientGateway b = member("b", "gw1");
        assertThat(LiveGroup.await(() -> b.view() != null && b.view().size() == 2, 20)).isTrue();
        try (Socket s = new Socket("127.0.0.1", a.address().getPort())) {
            final DataInputStream in = new DataInputStream(s.getInputStream());
            write(s, Wire.HELLO, ByteBuffer.allocate(16).putLong(7).putLong(9).array());
            assertThat(read(in)).isEqualTo(Wire.WELCOME + " a#0");
            write(s, Wire.CAST, cast(1, 0, "x"));
            write(s, Wire.CAST, cast(2, 0, "y"));
            write(s, Wire.CAST, cast(1, 0, "x"));
            write(s, Wire.CAST, cast(4, 0, "gap"));
            assertThat(read(in)).isEqualTo("reply 1 re 1");
            assertThat(read(in)).isEqualTo("reply 2 re 2");
            assertThat(read(in)).as("the duplicate gets the kept reply").isEqualTo("reply 1 re 1");
        }
        assertThat(LiveGroup.await(() -> handled.get(1).size() == 2, 10)).isTrue();
        for (final List<String> log : handled) {
            assertThat(log).as("each member handled 1 and 2 once; 4 came after a gap").containsExactly("1:x", "2:y");
        }
        assertThat(a.stats()).containsEntry("duplicates", 1L).containsEntry("gaps", 1L).containsEntry("delivered", 2L);
        // A joiner gets the table: a resend of 2 through it is a duplicate, answered with the kept reply.
        final ClientGateway c = member("c", "gw1");
        assertThat(LiveGroup.await(() -> c.view() != null && c.view().size() == 3, 20)).isTrue();
        try (Socket s = new Socket("127.0.0.1", c.address().getPort())) {
            final DataInputStream in = new DataInputStream(s.getInputStream());
            write(s, Wire.HELLO, ByteBuffer.allocate(16).putLong(7).putLong(9).array());
            assertThat(read(in)).startsWith(Wire.WELCOME + " c#");
            write(s, Wire.CAST, cast(2, 1, "y"));
            write(s, Wire.CAST, cast(3, 1, "z"));
            assertThat(read(in)).isEqualTo("reply 2 re 2");
            assertThat(read(in)).isEqualTo("reply 3 re 3");
        }
        assertThat(handled.get(2)).containsExactly("3:z");
        assertThat(LiveGroup.await(() -> handled.get(0).size() == 3, 10)).isTrue();
    }

    @Test
    void shouldDropAndCountBadFramesAndKeepServing() throws Exception {
        final ClientGateway a = member("a", "gw2");
        assertThat(LiveGroup.await(() -> a.view() != null, 20)).isTrue();
        for (final byte[] bad : List.of(new byte[] {0, 0, 0, 0}, new byte[] {(byte) 0x7f, 0, 0, 0, 1},
            ByteBuffer.allocate(21).putInt(17).put(Wire.CAST).array())) {
            try (Socket s = new Socket("127.0.0.1", a.address().getPort())) {
                s.getOutputStream().write(bad);
                assertThat(s.getInputStream().read()).as("the gateway closes the connection").isEqualTo(-1);
            }
        }
        // After HELLO: a message beyond the window the reply cache covers, and one larger than the group takes.
        for (final byte[] bad : List.of(cast(GroupClient.WINDOW + 1, 0, "far"),
            cast(1, 0, "x".repeat(a.group().maxPayload())))) {
            try (Socket s = new Socket("127.0.0.1", a.address().getPort())) {
                write(s, Wire.HELLO, ByteBuffer.allocate(16).putLong(1).putLong(2).array());
                final DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(read(in)).startsWith(Wire.WELCOME + " a#");
                write(s, Wire.CAST, bad);
                assertThat(s.getInputStream().read()).as("the gateway closes the connection").isEqualTo(-1);
            }
        }
        assertThat(a.stats().get("malformed")).isEqualTo(5);
        assertThat(a.stats().get("delivered")).as("nothing bad reached the group").isZero();
        try (GroupClient c = GroupClient.connect(List.of(a.address()), Duration.ofSeconds(10))) {
            assertThat(new String(c.request("ok".getBytes(StandardCharsets.UTF_8)).get(),
                StandardCharsets.UTF_8)).isEqualTo("re 1");
            assertThat(c.request(new byte[a.group().maxPayload()])).as("the client refuses what the group cannot take")
                .isCompletedExceptionally();
        }
    }
}
