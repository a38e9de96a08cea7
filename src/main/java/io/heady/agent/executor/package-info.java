/** The agent's executor: admits dispatches to its slots, runs them, and reports every result until acknowledged. */
package io.heady.agent.executor;
