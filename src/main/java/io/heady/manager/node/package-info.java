/**
 * Nodes as the manager sees them: their records, tiers, reliability and the node status machine, and how a
 * node's health moves. {@link io.heady.manager.node.NodeLiveness} takes each event of a node's life (a
 * registration, a heartbeat, a probe, silence, its member leaving, lost work, an operator) with {@code now}
 * and returns the outcome the scheduler applies; {@link io.heady.manager.node.NodeHoldings} compares what a
 * node says it holds with what it was given. The manager's heartbeat handling lives here; its entry is
 * {@code api/AgentRoutes}. No verticle, no clock, no I/O.
 */
package io.heady.manager.node;
