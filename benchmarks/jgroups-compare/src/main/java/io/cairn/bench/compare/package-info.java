/**
 * Cairn beside JGroups under one driver ({@link io.cairn.bench.compare.Compare}): each system implements the small
 * {@link io.cairn.bench.compare.GroupSystem} interface (start N members in this JVM, cast from one, a callback per
 * delivery, stop), so both are loaded, timed and checked by the same code.
 *
 * <p>Pairs with the same guarantees: JGroups' stock {@code udp.xml} and Cairn's {@code vsync} over UDP (reliable
 * FIFO multicast with membership), {@code tcp.xml} and {@code vsync} over TCP, {@code sequencer.xml} and
 * {@code total} over UDP (total order). Everything runs on 127.0.0.1, multicast stays on the host.
 *
 * <p>All rows share one JVM, so the first row of a pair and payload size would also measure the JIT compiling that
 * size's code paths: before it, each system casts closed loop for the pre-warm time ({@code --prewarm}, 3 s),
 * unmeasured.
 *
 * <p>Per run (one system, one row, one repetition; fresh members and group name; closed afterwards, and the
 * JVM's thread and file-descriptor counts checked against those before it):
 * <ol>
 *   <li>closed loop: every member casts back to back for the window after a warm-up; deliveries/s per member,
 *       MB/s, and process CPU time per delivery ({@code getProcessCpuTime} delta over all members'
 *       deliveries in the window);</li>
 *   <li>open loop: every member casts on a fixed schedule at a fraction of that system's closed-loop rate; a
 *       message carries its slot's time, not the time of the cast, so a sender held up by back-pressure still
 *       charges the wait to the messages it owes (coordinated omission); the sender parks until its next slot and
 *       then casts every slot that is due; send-to-delivery latency at every member into HdrHistograms;</li>
 *   <li>one at a time: one member casts, waits until every member delivered, casts again.</li>
 * </ol>
 * Every message carries a tag naming its measurement and whether it was cast in the measured window; a number is
 * reported only once every member delivered exactly the messages of the window (bounded wait), else the run is
 * reported as incomplete. JGroups and Cairn alternate within one invocation, and the report gives
 * min–median–max over repetitions and the ratio of the medians. {@code scripts/compare-jgroups.sh} builds the
 * module, runs it and writes {@code docs/compare-jgroups.md}.
 */
package io.cairn.bench.compare;
