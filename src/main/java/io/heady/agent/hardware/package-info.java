/** The agent's hardware verticle: detection at start and periodic load samples (probes in common). */
package io.heady.agent.hardware;
