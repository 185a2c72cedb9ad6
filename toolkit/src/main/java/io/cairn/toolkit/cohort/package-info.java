/**
 * Coordinator-cohort: fault-tolerant execution of requests (Isis, Birman's "process groups as tools").
 *
 * <h2>Protocol</h2>
 * The requester casts {@code REQUEST(no, payload)}. Every member that delivers it records it and computes its
 * primary: one of the members of the view it was delivered in, spread over them by request id; the others are its
 * cohort. The primary executes the request and casts {@code DONE(requester, no, reply)}; every member forgets the
 * request when it delivers the DONE, and the requester's future completes with it. At a view change, the members
 * still holding a request whose primary left pick the next primary among the request's surviving cohort (the same
 * choice everywhere: the same view and the same list), which executes it and casts its DONE.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Exactly one reply per request id at a requester that stays in the group. The DONE of a primary that leaves
 *       is, by virtual synchrony, delivered in its view to every survivor or to none; only in the second case does a
 *       cohort member take over, so two DONEs are never both delivered. A requester that exits gets a failed
 *       future instead.</li>
 *   <li>Execution is idempotent by request id on each member (a member never executes one twice). A request is
 *       executed twice only when its primary executed it and left before its DONE was delivered: pass the id to
 *       external effects that must happen once.</li>
 *   <li>Over a non-uniform stack, a primary that is also the requester and is cut off from the majority may see its
 *       own reply and then exit; the majority executes the request again.</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * Any stack with virtual synchrony. Two casts per request (request and reply); work spreads over the members.
 */
package io.cairn.toolkit.cohort;
