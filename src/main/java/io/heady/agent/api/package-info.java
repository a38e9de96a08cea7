/** The agent's node API (default port 7700): health, system, running tasks, dispatch for HTTP agents. */
package io.heady.agent.api;
