/**
 * {@code heady bench}: measures a heady cluster the way a user sees it, over the manager's HTTP API only.
 * {@link io.heady.client.bench.BenchCommand} is the command; {@link io.heady.client.bench.LocalCluster}
 * starts a manager and agents as separate JVM processes on loopback; {@link io.heady.client.bench.LoadDriver}
 * submits tasks (batched, a bounded number in flight) and times each one from its submission to its
 * {@code task.*} event on {@code GET /api/cluster/events}; {@link io.heady.client.bench.Audit} reads the task
 * records afterwards to count lost and duplicated tasks. Imports nothing of the manager or the agent.
 */
package io.heady.client.bench;
