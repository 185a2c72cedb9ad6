/**
 * {@code credit-flow}: multicast flow control by credits that follow what applications consume (JGroups MFC,
 * driven by consumption rather than receipt).
 *
 * <h2>Protocol</h2>
 * Per view, every receiver gives every sender {@code max-credits} bytes; a message counts as its payload, or as
 * {@code min-charge} bytes if it is smaller (both ends count alike). A sender may have cast at most the
 * smallest grant it holds; without credit it keeps the one cast it could not send, tells the runtime to hold
 * further casts ({@link io.cairn.stack.spi.LayerContext#holdCasts}, so {@code Group.tryCast} reports would-block
 * and {@code Group.cast} waits), and keeps running its protocols. A receiver notes each delivery (sender, bytes)
 * in delivery order and follows the application's consumption ({@link io.cairn.stack.spi.LayerContext#consumedBytes}:
 * when the upcall returns, or as the application reports it when it queues deliveries); once it has consumed
 * {@code grant-threshold} of the credit from a sender it sends a GRANT: "you may have cast consumed + max-credits
 * bytes in total". Its own casts it credits locally. Point-to-point sends get the same treatment per destination
 * (GRANT_UNI/REQUEST_UNI), separately from multicast credit; a send held for lack of credit holds casts too,
 * because both wait in the same command ring.
 *
 * <h2>Failure</h2>
 * Grants are cumulative, so a lost, duplicated or reordered grant is repaired by any later one. A sender blocked
 * for {@code request-interval} sends REQUEST to each member it lacks credit from, which answers with its current
 * grant, so a lost grant cannot stall the group. A member that crashes or leaves while others wait for its credit
 * holds them until the view change excludes it. Casts before the first view wait for it (there is nobody to get
 * credit from).
 *
 * <h2>View change</h2>
 * Credit carries across views, so the bounds hold whatever the churn. A sender starts the next view owing each
 * member that stays what that member has not granted back yet; a receiver counts its unconsumed deliveries from a
 * member that stays against that member, and those from members that are gone against the view's joiners, which
 * start with no credit until each receiver grants it (at the view change, or when asked). On {@code Blocked} the
 * cast it holds, and every cast offered before the application saw {@code Blocked}, goes out in the current view
 * whatever the credit (the flush counts them; at most the command ring's contents), until {@code BlockOk}. The
 * same holds when a view goes up: what the application offered before it saw the view goes out in the view,
 * until {@code ViewOk} (the runtime drains the ring up to it whatever layer holds casts, and one held slot could
 * not take them).
 *
 * <h2>Bounds</h2>
 * A sender's unacknowledged bytes (cast but not consumed by the slowest member) stay within {@code max-credits}
 * (gauge {@code unacked_bytes}, checked as FC1); a receiver's unconsumed deliveries stay within N x
 * {@code max-credits} (gauge {@code unconsumed_bytes}).
 *
 * <h2>Provides / requires</h2>
 * Provides {@code flow-control}; requires {@code reliable}. Put it at the top of the stack, so that everything it
 * delivers reaches the application and its count matches the application's consumption.
 *
 * <h2>Parameters</h2>
 * {@code credit-flow.conf}: max-credits, min-charge, grant-threshold, request-interval, consumption-poll.
 *
 * <h2>Wire</h2>
 * No data header. Control frames {@link io.cairn.layers.flow.CreditControl}: GRANT and REQUEST, 24 bytes, with
 * the view tag (frames of other views are ignored).
 *
 * <h2>Testing</h2>
 * {@code CreditFlowLayerTest} (exhaustion and would-block, replenishment at the slowest member's pace, cumulative
 * grants, lost grants and requests, a member leaving while others wait, malformed control) and
 * {@code FlowControlProperties} (F12: a member consuming at a tenth of the offered rate, 100,000 x 1 KiB).
 */
package io.cairn.layers.flow;
