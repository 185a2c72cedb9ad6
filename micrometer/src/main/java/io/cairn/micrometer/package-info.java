/**
 * Optional Micrometer binding: {@link io.cairn.micrometer.CairnMeters} publishes a group's counters and gauges as
 * meters tagged by group and layer. Cairn itself depends on no metrics library; JMX works without this module
 * ({@code cairn.node.jmx}).
 */
package io.cairn.micrometer;
