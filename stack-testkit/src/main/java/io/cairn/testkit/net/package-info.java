/**
 * Network fixtures for tests that need a service the machine may not have: {@link
 * io.cairn.testkit.net.LoopbackDnsServer}, a DNS server on loopback for discovery tests.
 */
package io.cairn.testkit.net;
