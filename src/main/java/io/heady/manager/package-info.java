/**
 * The manager role: owns all cluster state (through one scheduler), places tasks, watches nodes and tasks,
 * and serves the HTTP API and dashboard. Never imports {@code io.heady.agent}.
 */
package io.heady.manager;
