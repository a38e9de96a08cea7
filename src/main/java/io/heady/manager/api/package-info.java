/**
 * The manager's HTTP API: routes, authentication, the error shape, server-sent events and health; and the
 * agent protocol's entry over HTTP and the event bus ({@link io.heady.manager.api.AgentRoutes}). Every route
 * asks the {@link io.heady.manager.scheduler.ClusterService}.
 */
package io.heady.manager.api;
