/**
 * A lock service: named, FIFO-fair, mutually exclusive locks on a replicated lock table.
 *
 * <h2>Protocol</h2>
 * The table is a state machine of {@link io.cairn.toolkit.rsm.ReplicatedStateMachine}: per lock, a queue of
 * waiters whose head holds it. {@code LOCK}, {@code UNLOCK} and {@code CANCEL} (a {@code tryLock} that timed out)
 * are commands in the total order. At a view change every replica removes the waiters of members that left, at
 * the same point of the order, and grants the lock to the next waiter. A member learns that it holds a lock when
 * its replica grants it; a joiner receives the table by state transfer.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Mutual exclusion within the primary partition: at every point of the total order a lock has at most one
 *       holder, and every replica grants the same locks to the same members at the same points.</li>
 *   <li>FIFO fairness: requests are granted in the order they were ordered.</li>
 *   <li>A lock held or awaited by a member that crashes, leaves or is excluded is released at the view change that
 *       removes it; the member itself is told ({@code onLost}) when it exits.</li>
 *   <li>A member partitioned away still believes it holds its locks until it detects the partition and exits;
 *       there are no leases, so fence side effects outside the group (or route them through the group).</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * A total-order stack with state transfer ({@code total}). One cast per lock, unlock or cancel.
 */
package io.cairn.toolkit.lock;
