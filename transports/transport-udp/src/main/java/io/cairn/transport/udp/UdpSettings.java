package io.cairn.transport.udp;

import com.typesafe.config.Config;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * The {@code cairn.transport.udp} settings, validated with messages that name the key.
 *
 * @param bindAddress     address of the unicast socket
 * @param port            its port (0: any free port)
 * @param multicastMode   IP multicast (true) or unicast fan-out to known peers (false)
 * @param multicastGroup  multicast group address and port
 * @param interfaceName   interface multicast is sent and received on
 * @param ttl             multicast TTL (0 keeps it on the host)
 * @param maxDatagram     largest datagram, and so the largest frame and the bundle size
 * @param receiveBuffer   SO_RCVBUF
 * @param sendBuffer      SO_SNDBUF
 * @param receiveOnStackThread whether the thread that runs a node's stacks may read the sockets itself
 * @param fullQueueWaitNs how long a received frame waits for room in a stack's full inbound queue
 */
record UdpSettings(String bindAddress, int port, boolean multicastMode, InetSocketAddress multicastGroup,
                   String interfaceName, int ttl, int maxDatagram,
                   int receiveBuffer, int sendBuffer, boolean receiveOnStackThread, long fullQueueWaitNs) {

    static UdpSettings from(final Config c) {
        final String mode = c.getString("mode");
        if (!mode.equals("multicast") && !mode.equals("unicast")) {
            throw new IllegalArgumentException("cairn.transport.udp.mode: expected multicast or unicast, got " + mode);
        }
        final int max = (int) c.getBytes("max-datagram").longValue();
        if (max < 1024 || max > 65_000) {
            throw new IllegalArgumentException("cairn.transport.udp.max-datagram: between 1K and 65000 bytes, got "
                + max);
        }
        if (c.getDuration("full-queue-wait").isNegative()) {
            throw new IllegalArgumentException("cairn.transport.udp.full-queue-wait: a duration of 0 or more, got "
                + c.getValue("full-queue-wait").render());
        }
        return new UdpSettings(c.getString("bind-address"), c.getInt("port"), mode.equals("multicast"),
            new InetSocketAddress(UdpTransport.address(c.getString("multicast-address")), c.getInt("multicast-port")),
            c.getString("interface"), c.getInt("ttl"), max, (int) c.getBytes("receive-buffer").longValue(),
            (int) c.getBytes("send-buffer").longValue(), c.getBoolean("receive-on-stack-thread"),
            c.getDuration("full-queue-wait", java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    NetworkInterface networkInterface() throws SocketException {
        final NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) {
            throw new SocketException("no network interface named " + interfaceName
                + " (cairn.transport.udp.interface)");
        }
        return nif;
    }

    String describe() {
        return bindAddress + ":" + port + (multicastMode ? ", multicast " + multicastGroup + " on " + interfaceName
            + " ttl " + ttl : ", unicast fan-out");
    }
}
