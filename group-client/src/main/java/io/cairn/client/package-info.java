/**
 * Clients of a group (Isis' clients): a process that is not a member casts into the group with the group's
 * ordering and gets replies, through a member's {@link io.cairn.client.ClientGateway}.
 *
 * <h2>Protocol</h2>
 * A {@link io.cairn.client.GroupClient} picks a 128-bit random id and numbers its messages 1, 2, ... It connects
 * over TCP to one member's gateway (HELLO); the gateway accepts (WELCOME) only while its member is in a primary
 * view. The client sends CAST(seq, acked, payload), at most {@link io.cairn.client.GroupClient#WINDOW} ahead of
 * its last contiguous reply; the gateway casts it into the group in an envelope (client id, seq, acked, payload).
 * Every member, on delivery, keeps per client the highest sequence number delivered and the latest replies:
 * <ul>
 *   <li>seq = delivered + 1: handed to the {@link io.cairn.client.ClientHandler}; its reply is kept;</li>
 *   <li>seq &lt;= delivered: a duplicate (a resend after a fail-over, or the same message relayed by two members):
 *   not handed on; the kept reply is returned again;</li>
 *   <li>seq &gt; delivered + 1: a gap (an earlier relay died with its member): dropped; the client resends in
 *   order.</li>
 * </ul>
 * Replies up to the client's {@code acked} are forgotten, and at most 1,024 are kept. The member the client is
 * connected to sends REPLY(seq, reply). Because every member applies these rules to the same deliveries, the
 * table is the same everywhere; a joiner receives it (with the handler's snapshot) by state transfer.
 *
 * <h2>Fail-over</h2>
 * When the connection breaks, the gateway refuses, or its member leaves the primary view (the gateway closes its
 * clients), the client connects to the next gateway and resends every message without a reply, in order. It also
 * moves on after two seconds without any reply while messages wait (a dead host or a partition sends no reset).
 *
 * <h2>Bad input</h2>
 * A frame longer than a HELLO before the HELLO, a message larger than the group takes, or one beyond the client's
 * window is counted ({@code malformed}) and closes that client's connection; nothing a client sends reaches the
 * group otherwise or stops the gateway.
 *
 * <h2>Guarantees</h2>
 * Each message of a client is handled exactly once by every member that stays in the group, in the client's order,
 * and in the group's total order among other messages (the gateway requires a stack that provides {@code total}). The client gets
 * exactly one reply per message: a future completes once. Members do not see clients in their views: a client
 * is not a member, costs no flush and no heartbeat. Not yet: authentication of clients (with the security work).
 *
 * <h2>Threads</h2>
 * A gateway runs one I/O thread (a selector) for all its clients; a client one reader thread. Handlers run on
 * the group's stack thread.
 */
package io.cairn.client;
