package io.heady.manager.scheduler;

import io.heady.manager.placement.PlacementSettings;
import java.time.Duration;

/**
 * The scheduler's timings and limits.
 *
 * @param maxInfraRequeues how often a task may be requeued because its node was lost (not its own fault)
 * @param retryBase first retry delay; doubles per retry up to {@code retryMax}
 * @param finishedInMemory finished tasks kept in memory for reads (older ones are served by the store)
 */
public record SchedulerSettings(
    Duration heartbeat,
    Duration ttl,
    Duration offline,
    int probeFailures,
    int maxInfraRequeues,
    Duration retryBase,
    Duration retryMax,
    int finishedInMemory,
    PlacementSettings placement) {

  public static SchedulerSettings defaults() {
    return new SchedulerSettings(Duration.ofSeconds(45), Duration.ofSeconds(120), Duration.ofSeconds(600), 3, 5,
        Duration.ofSeconds(1), Duration.ofSeconds(60), 100_000, PlacementSettings.DEFAULTS);
  }
}
