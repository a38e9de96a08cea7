/**
 * {@code heady bench}: measures a heady cluster the way a user sees it, over the manager's HTTP API only.
 * {@link io.heady.client.bench.BenchCommand} holds the options and checks them into a {@code BenchPlan};
 * {@code BenchTarget} is the cluster measured: one {@link io.heady.client.bench.LocalCluster} starts for the run
 * (a manager and agents as separate JVM processes on loopback: {@code ClusterProcesses} starts and signals them
 * by PID, {@code RedisServerProcess} is its own Redis, {@code ClusterReadiness} waits until they are usable), or
 * one already running. {@code LoadRun} measures real agents, {@code SimRun} the manager alone against the
 * simulated nodes of {@code io.heady.client.bench.sim}. Both drive the load through
 * {@link io.heady.client.bench.LoadDriver}, which submits tasks (batched, a bounded number in flight) and times
 * each one from its submission to its {@code task.*} event on {@code GET /api/cluster/events}
 * ({@code EventFollower} follows the stream, {@code LoadPhase} runs a phase, {@code PhaseTally} counts it);
 * {@link io.heady.client.bench.Audit} reads the task records afterwards to count lost and duplicated tasks;
 * {@code ProcessUsage} and {@code Profiles} read the processes' CPU, memory and JFR profiles. Imports nothing of
 * the manager or the agent.
 */
package io.heady.client.bench;
