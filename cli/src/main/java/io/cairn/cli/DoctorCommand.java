package io.cairn.cli;

import picocli.CommandLine.Command;

import io.cairn.transport.rdma.verbs.disni.DisniAvailability;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cairn doctor}: checks what Cairn needs on this machine, each with a fix. Exit 0 unless Java is too old. */
@Command(name = "doctor", description = "Check Java, IP multicast on the loopback interface and RDMA prerequisites.")
public final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        int problems = 0;
        final int feature = Runtime.version().feature();
        problems += report(feature >= 17, "Java " + Runtime.version(), "install Java 17 or later");
        problems += report(multicastOnLoopback(), "IP multicast on the loopback interface (lo, TTL 0)",
            "enable multicast on lo: ip link set lo multicast on (needed only by the UDP transport's multicast mode)");
        // The RDMA transport's own check: exactly what creating an rdma transport with provider disni would report.
        final List<String> rdma = DisniAvailability.problems();
        report(rdma.isEmpty(), "RDMA (provider disni): libdisni, an RDMA device, --add-exports", String.join(
            "\n          fix: ", rdma) + "\n          (providers soft and shm need none of these)");
        System.out.println(problems == 0 ? "doctor: ready" : "doctor: " + problems + " problem(s) to fix");
        return feature >= 17 ? 0 : 1;
    }

    private static int report(final boolean ok, final String what, final String fix) {
        System.out.println((ok ? "  ok    " : "  MISSING ") + what + (ok ? "" : "\n          fix: " + fix));
        return ok ? 0 : 1;
    }

    /** Sends one datagram to a multicast group on lo with TTL 0 and checks that it comes back. */
    static boolean multicastOnLoopback() {
        try {
            final NetworkInterface lo = NetworkInterface.getByName("lo");
            if (lo == null) {
                return false;
            }
            final InetAddress group = InetAddress.getByName("239.255.77.77");
            try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(0));
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                ch.join(group, lo);
                final int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                ch.send(ByteBuffer.wrap("cairn".getBytes()), new InetSocketAddress(group, port));
                ch.configureBlocking(false);
                final ByteBuffer in = ByteBuffer.allocate(64);
                final long deadline = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < deadline) {
                    if (ch.receive(in) != null) {
                        return true;
                    }
                    Thread.sleep(5);
                }
            }
        } catch (final Exception e) {
            return false;
        }
        return false;
    }
}
