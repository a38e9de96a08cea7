/**
 * The anti-stagnation watchdog: finds work that stopped moving, by an injected clock, and asks the scheduler
 * to act (the ladder itself is {@link io.heady.manager.task.TaskLifecycle#stagnant}); its verticle only ticks
 * it through {@link io.heady.manager.scheduler.ClusterService#watch}.
 */
package io.heady.manager.watchdog;
