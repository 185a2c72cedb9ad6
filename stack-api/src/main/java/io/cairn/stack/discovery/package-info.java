/**
 * Discovery: how a transport finds the addresses of its peers where IP multicast does not reach (clouds,
 * containers, Kubernetes). The UDP transport in unicast mode and the TCP transport use it; UDP in multicast mode
 * needs none, the multicast itself reaches everyone.
 *
 * <h2>Types ({@code cairn.transport.<name>.discovery.type})</h2>
 * <ul>
 *   <li>{@code static}: the transport's {@code initial-members} ({@code host:port} or {@code host:first-last}).
 *   These are peers under every type.</li>
 *   <li>{@code dns}: the A/AAAA records of one name with a port, or its SRV records, polled every {@code interval}
 *   through the JDK's DNS client, from the system's resolvers or a configured server. For Kubernetes, a headless
 *   service with {@code publishNotReadyAddresses: true}, so pods find each other before they are ready.</li>
 *   <li>{@code directory}: each member writes a file naming its advertised address into a shared directory and
 *   reads everyone's every interval; its file is removed when it closes.</li>
 *   <li>{@code multicast}: announcements on an IP multicast group, answered at once by those that hear a
 *   newcomer.</li>
 * </ul>
 *
 * <h2>Addresses</h2>
 * A node tells its peers its <em>advertised</em> address ({@code advertise-address}, {@code advertise-port}),
 * which differs from the bound one behind NAT or in a container; by default it is the bound address, or, bound to
 * the wildcard, the host's first non-loopback IPv4 address. A node never counts itself as a peer: answers naming
 * its advertised address, or one of its own interfaces with its bound port, are left out.
 *
 * <h2>One group, not several</h2>
 * Discovery only finds addresses; who founds the group is the membership layer's decision. With configured
 * members ({@code cairn.stack.members}) the first of them founds; without, the viewless first incarnations that
 * hear one another defer to the smallest name among them, so members started together form one view (the
 * failure of JGroups' KUBE_PING #73, every pod founding its own cluster, does not happen).
 *
 * <h2>Failures</h2>
 * A lookup that fails (DNS timeout, unreadable directory) keeps the previous answer and is counted
 * ({@code discovery_failures} in the transport's statistics); a name that does not exist yet is an empty answer.
 * Bad settings fail at start with the file, line, key and value and what is expected.
 */
package io.cairn.stack.discovery;
