/**
 * Leader election by view: the leader of a view is its oldest member (rank 0, the coordinator).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Agreement: every member of a view names the same leader, because the leader is a function of the view and
 *       every member installs the same views (virtual synchrony).</li>
 *   <li>With primary partition (the default), views form one sequence: a minority stops rather than continuing,
 *       so no two views with different leaders run as the group at the same time. A member cut off from the
 *       majority still believes in its old leader until it detects the partition and exits; guard side effects
 *       that must never overlap with the lock service or with commands through the total order.</li>
 *   <li>Stability: the leader changes only when it leaves the view; a member joining never displaces it.</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * Any stack with virtual synchrony. No messages of its own: {@link io.cairn.toolkit.Block#leader()} is available on
 * every block, and this one adds a change listener and records the leader of every view for the checker.
 */
package io.cairn.toolkit.leader;
