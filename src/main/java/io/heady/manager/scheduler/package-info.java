/**
 * The single owner of cluster state. {@link io.heady.manager.scheduler.Scheduler} is plain Java driven by
 * explicit {@code Instant now} arguments, with side effects leaving through {@link
 * io.heady.manager.scheduler.SchedulerSink}; {@link io.heady.manager.scheduler.SchedulerVerticle} adapts it
 * to Vert.x and runs every call on one event loop, so slot reservation is atomic by construction.
 */
package io.heady.manager.scheduler;
