/**
 * The in-process transport: groups whose members live in one JVM, connected by a named
 * {@link io.cairn.transport.inmem.InProcessNetwork}. Used by examples, benchmarks of stack compositions and tests
 * that need real threads; the deterministic simulator has its own network with virtual time.
 */
package io.cairn.transport.inmem;
