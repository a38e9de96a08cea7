/**
 * The agent role: detects its hardware, registers, heartbeats, runs tasks and reports results, over the
 * event bus or plain HTTP. Never imports {@code io.heady.manager}.
 */
package io.heady.agent;
