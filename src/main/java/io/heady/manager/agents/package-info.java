/**
 * The manager's side of the agent protocol: dispatch, cancel, probe and log reads, one set of operations
 * with a transport per way a node is reached ({@link io.heady.manager.agents.BusTransport} for event-bus
 * agents, {@link io.heady.manager.agents.HttpTransport} for http agents and as the event-bus agents' fallback,
 * {@link io.heady.manager.agents.LocalTransport} for the manager's own executor). Everything sent to a node is
 * sealed with the node's pair key, which only that node and the manager hold.
 */
package io.heady.manager.agents;
