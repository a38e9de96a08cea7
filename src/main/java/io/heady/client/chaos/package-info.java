/**
 * {@code heady chaos}: a self-test of a whole heady cluster under faults. It starts a manager, agents and (for
 * the Redis store) a redis-server as separate processes on loopback, submits a paced stream of shell tasks whose
 * output names the task, and meanwhile kills and restarts agents, pauses one past its TTL, kills Redis and the
 * manager, on a timeline drawn from a seed ({@link io.heady.client.chaos.FaultPlan}). At the end
 * {@link io.heady.client.chaos.ChaosAudit} checks every task (lost, failed, doubled, crossed output), the
 * completion counters and the nodes' statuses. The processes are started, signalled and stopped through
 * {@link io.heady.client.bench.LocalCluster}, by PID. Imports nothing of the manager or the agent: it sees the
 * cluster as a user does, over HTTP.
 */
package io.heady.client.chaos;
