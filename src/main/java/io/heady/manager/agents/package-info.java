/**
 * The manager's side of the agent protocol: dispatch, cancel, probe and log reads, one set of operations
 * ({@link io.heady.manager.agents.AgentTransport}) with a transport per way a node is reached:
 * {@link io.heady.manager.agents.BusFirstTransport} for event-bus agents (the bus, and the node's HTTP API when
 * the bus cannot reach a live node), {@link io.heady.manager.agents.HttpTransport} for http agents,
 * {@link io.heady.manager.agents.LocalTransport} for the manager's own executor. Only
 * {@code AgentsVerticle.transport} tells the kinds of node apart; nothing else branches on a node's transport.
 * Every node answers with the same core ({@code io.heady.common.node}). Everything sent to a node is sealed with
 * the node's pair key, which only that node and the manager hold.
 */
package io.heady.manager.agents;
