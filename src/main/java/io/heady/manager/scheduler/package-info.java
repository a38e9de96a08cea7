/**
 * The single owner of cluster state, and how its changes are applied.
 *
 * <ul>
 *   <li>{@link io.heady.manager.scheduler.Scheduler} lists every operation, each by an explicit
 *       {@code Instant now}; {@link io.heady.manager.scheduler.NodeOps} and
 *       {@link io.heady.manager.scheduler.TaskOps} ask the lifecycle each concerns what it means
 *       ({@link io.heady.manager.node.NodeLiveness}, {@link io.heady.manager.task.TaskLifecycle},
 *       {@link io.heady.manager.scheduler.DagReadiness}; after a restart
 *       {@link io.heady.manager.scheduler.Recovery}).</li>
 *   <li>The {@link io.heady.manager.scheduler.Coordinator} applies every outcome like a plan (the queue, the DAG,
 *       counters, events), notes in {@link io.heady.manager.scheduler.Changes} which records changed and ends each
 *       operation with one {@link io.heady.manager.scheduler.DispatchPass} (placement and dispatch). Nobody else
 *       marks a record changed or starts a pass. Effects leave through the
 *       {@link io.heady.manager.scheduler.SchedulerSink}.</li>
 *   <li>{@link io.heady.manager.scheduler.SchedulerVerticle} is the loop (every operation on one event loop, so
 *       slot reservation is atomic by construction) and the outbox (what changed is written before dispatches,
 *       cancels and events leave); {@link io.heady.manager.scheduler.LeaderLease} decides whether this manager
 *       leads; {@link io.heady.manager.scheduler.ClusterService} is the typed front the routes, the bus
 *       consumers, the agents adapter, the watchdog, the metrics and the local executor call.</li>
 * </ul>
 */
package io.heady.manager.scheduler;
