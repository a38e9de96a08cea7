/** The agent's heartbeat verticle: registers, heartbeats, and registers again when the manager forgot it. */
package io.heady.agent.heartbeat;
