/**
 * The agent's upkeep of its own machine: {@link io.heady.agent.housekeeping.DiskGuard} decides whether the disk
 * under the data dir has room for new work (the node refuses new tasks with {@code disk_full} before it is
 * full), and {@link io.heady.agent.housekeeping.Housekeeping} runs that check and the task-log retention
 * ({@link io.heady.common.retention.LogSweeper}) on threads of their own.
 */
package io.heady.agent.housekeeping;
