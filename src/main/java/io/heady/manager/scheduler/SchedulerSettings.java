package io.heady.manager.scheduler;

import io.heady.manager.node.NodeLiveness;
import io.heady.manager.placement.PlacementSettings;
import java.time.Duration;

/**
 * The scheduler's timings and limits.
 *
 * @param maxInfraRequeues how often a task may go back to the queue because a node did not run it to an end
 *     (lost with its node, a dispatch never delivered, taken back): never the task's own fault, so the bound
 *     is much larger than any task's attempts; it only stops a task that no node ever runs
 * @param retryBase first retry delay; doubles per retry up to {@code retryMax}
 * @param finishedInMemory finished tasks kept in memory for reads (older ones are served by the store)
 * @param liveness probes, probation and quarantine
 */
public record SchedulerSettings(
    Duration heartbeat,
    Duration ttl,
    Duration offline,
    int maxInfraRequeues,
    Duration retryBase,
    Duration retryMax,
    int finishedInMemory,
    PlacementSettings placement,
    NodeLiveness.Settings liveness) {

  /** Requeues a task may take without failing itself, unless configured otherwise. */
  public static final int MAX_INFRA_REQUEUES = 100;
  /** Finished tasks kept in memory unless configured otherwise (a finished task is a few KB). */
  public static final int FINISHED_IN_MEMORY = 20_000;

  public static SchedulerSettings defaults() {
    return new SchedulerSettings(Duration.ofSeconds(45), Duration.ofSeconds(120), Duration.ofSeconds(600),
        MAX_INFRA_REQUEUES, Duration.ofSeconds(1), Duration.ofSeconds(60), FINISHED_IN_MEMORY,
        PlacementSettings.DEFAULTS, NodeLiveness.Settings.DEFAULTS);
  }

  /** The same settings with other liveness rules. */
  public SchedulerSettings withLiveness(NodeLiveness.Settings l) {
    return new SchedulerSettings(heartbeat, ttl, offline, maxInfraRequeues, retryBase, retryMax, finishedInMemory,
        placement, l);
  }
}
