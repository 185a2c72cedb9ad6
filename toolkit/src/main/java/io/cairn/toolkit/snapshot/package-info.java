/**
 * A consistent snapshot over causal multicast (Chandy-Lamport with causal order doing the markers' work).
 *
 * <h2>Protocol</h2>
 * The initiator casts {@code START(id)}. Delivering it, each member records its application state (its cut),
 * starts recording the messages it delivers from every member of the view, and casts {@code MARK(id)}. Delivering a
 * member's {@code MARK}, it stops recording that member's channel. Once every member's {@code MARK} arrived it casts
 * {@code PART(id, state, channels)}, and the initiator assembles the parts into a {@code Cut}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>The cut is consistent: a message delivered before a member's cut was sent before its sender's cut. A message
 *       sent after the sender's cut is causally after {@code START}, so causal delivery puts it after the receiver's
 *       cut too.</li>
 *   <li>The channel state is exact: the messages from q in p's part are those q sent before its cut and p delivered
 *       after its own (FIFO puts them before q's {@code MARK}).</li>
 *   <li>A snapshot covers the members of one view; a view change ends it (the future fails: take it again).</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * A causal stack ({@code causal}). Per snapshot: one START, n MARK and n PART casts; each member holds the
 * messages it delivers while its channels are recorded.
 */
package io.cairn.toolkit.snapshot;
