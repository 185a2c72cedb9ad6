/**
 * Publish/subscribe over lightweight groups (Spread's answer to "too many topics to map each to a group").
 *
 * <h2>Protocol</h2>
 * Topics map onto a bounded set of K groups by a stable hash (FNV-1a of the topic, modulo K), or onto a group of
 * their own when dedicated ({@code dedicate(topic)}, the same on every member). A message is cast on its topic's
 * group as {@code (topic, payload)}; every member of that group receives it and hands it to the local handlers of
 * its topic, or drops it (counted as {@code filtered}) when it has none. A node joins a group the first time it
 * publishes or subscribes to one of its topics.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Per topic, the ordering and reliability of the stack the groups run: FIFO per publisher on {@code vsync},
 *       one order for all subscribers on {@code total}; virtual synchrony within each group.</li>
 *   <li>No order between topics of different groups; topics sharing a group are ordered together.</li>
 *   <li>A subscriber receives what is published after its group's view includes it (no history).</li>
 * </ul>
 *
 * <h2>Needs and costs</h2>
 * A stack with virtual synchrony. K bounds the number of groups whatever the number of topics; the price is the
 * filtered traffic: a member receives every topic of the groups it is in. Dedicate the topics that dominate.
 */
package io.cairn.toolkit.pubsub;
