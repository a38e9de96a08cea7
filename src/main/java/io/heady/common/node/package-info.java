/**
 * The node side of the agent protocol, one implementation for every executor:
 * {@link io.heady.common.node.NodeExecutor} answers dispatches ({@link io.heady.common.node.DispatchAnswer}),
 * cancels, health probes and log reads, and {@link io.heady.common.node.Reports} carries starts and results
 * back to the manager in batches until each result is settled. The agent puts its event-bus consumers and its
 * node API in front of one; the manager's local executor is reached by direct calls to another. Transports
 * here only encode and decode: a duplicate dispatch is 409 on every one of them.
 */
package io.heady.common.node;
