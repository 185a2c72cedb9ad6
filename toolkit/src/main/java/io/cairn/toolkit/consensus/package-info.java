/**
 * Consensus by the leader of the view (the group-tools way: the view does the hard part).
 *
 * <h2>Protocol</h2>
 * {@code decide(instance)} casts {@code START}. The leader (oldest member of the view) casts {@code ASK(instance,
 * round)}, the round being the view's epoch; every member casts its {@code INPUT}; once inputs from a majority of the
 * view arrived, the leader casts {@code DECIDE(instance, value)} with the most frequent input (ties to the smallest,
 * byte-wise). Every member adopts the first {@code DECIDE} it delivers. A view change starts every open instance's
 * round again under the new view's leader; inputs of an earlier round are ignored. Joiners receive the decisions and
 * open instances by state transfer; a {@code START} for a decided instance makes the leader repeat the decision.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Agreement: all members decide the same value. A leader decides once per round; the DECIDE of a leader that
 *       leaves is delivered (virtual synchrony) to all survivors in its view or to none, and only in the second
 *       case does a new round decide. Over a non-uniform stack ({@code vsync}, {@code total}) a leader that crashes
 *       or is cut off may have delivered its own DECIDE, which nobody else did, and the group may decide otherwise:
 *       agreement holds for the members that survive the view. Over {@code safe-total} it is uniform: a crashed
 *       leader's decision is the group's (both checked in {@code ConsensusProperties}).</li>
 *   <li>Validity: the decision is the input of some member.</li>
 *   <li>Termination once faults stop: the leader of a stable view hears a majority and decides.</li>
 *   <li>Within the primary partition; a member cut off in a minority decides nothing there but may, over a
 *       non-uniform stack, deliver its own last view's DECIDE before it exits.</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * A stack with virtual synchrony and state transfer ({@code vsync}, {@code total}). Per instance: one START, one
 * ASK, n INPUT and one DECIDE cast.
 */
package io.cairn.toolkit.consensus;
