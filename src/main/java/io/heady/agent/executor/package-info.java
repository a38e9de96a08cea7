/**
 * The agent's executor: the node's protocol core ({@code io.heady.common.node.NodeExecutor}, shared with the
 * manager's local executor) behind the node's event-bus addresses; it admits dispatches to the node's slots, runs
 * them, and reports every result until acknowledged.
 */
package io.heady.agent.executor;
