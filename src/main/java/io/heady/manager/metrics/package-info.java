/**
 * Prometheus metrics and readiness checks for the manager (MONITORING.md).
 *
 * <p>Task metrics are derived from the {@code heady.events} stream the scheduler publishes, with the task's
 * timings read on the scheduler's loop; cluster gauges (nodes, queue, reliability) from periodic snapshots of the
 * scheduler. Nothing here changes scheduler state. {@link io.heady.manager.metrics.TaskMetrics},
 * {@link io.heady.manager.metrics.ClusterGauges} and {@link io.heady.manager.metrics.TimedClusterStore} are plain
 * classes over a Micrometer registry; {@link io.heady.manager.metrics.MetricsVerticle} is the thin adapter.
 */
package io.heady.manager.metrics;
