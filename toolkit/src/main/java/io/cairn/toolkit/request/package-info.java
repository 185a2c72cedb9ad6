/**
 * Requests with k replies (Isis's "cbcast with k replies", JGroups' {@code RpcDispatcher}).
 *
 * <h2>Protocol</h2>
 * The requester casts {@code REQUEST(id, payload)}. Every member that delivers it runs its responder and casts
 * {@code REPLY(requester, id, bytes)} or {@code DECLINE(requester, id)} (a responder that throws declines); the
 * requester answers itself locally, so {@code first()} is usually its own reply. Replies are cast rather than sent
 * point-to-point because point-to-point sends are not kept across view changes: cast, a reply reaches the requester
 * unless its sender leaves the view first, and then every survivor agrees that it left. The
 * set of members a request waits for is fixed when the requester delivers its own request: the members of that
 * view, which by virtual synchrony are the members that deliver it (sending-view delivery).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A request never waits for the departed: a member of its view that leaves, is excluded or crashes before
 *       replying counts as "will not reply" at the view change that removes it; so does a member that declines.
 *       The future completes once the policy ({@link io.cairn.toolkit.request.Replies}: first, majority, all,
 *       at least k) is met, and fails with {@link io.cairn.toolkit.request.NotEnoughRepliesException} as soon as it
 *       cannot be, or with a time-out.</li>
 *   <li>At most one reply per member, and only from members of the request's view.</li>
 *   <li>Over a total-order stack ({@code total}, {@code safe-total}) every member handles requests in the same
 *       order; over {@code vsync}, in each requester's FIFO order.</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * A stack with virtual synchrony. One cast and n - 1 reply casts per request (n² deliveries: meant for groups of
 * tens, not hundreds). The future completes on
 * the stack's thread: chain with the {@code ...Async} methods to move work off it.
 */
package io.cairn.toolkit.request;
