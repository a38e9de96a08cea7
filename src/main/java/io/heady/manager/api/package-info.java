/** The manager's HTTP API: routes, authentication, the error shape, server-sent events and health. */
package io.heady.manager.api;
