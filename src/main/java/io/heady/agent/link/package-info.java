/** How an agent talks to the manager: the same operations over the event bus or over HTTP. */
package io.heady.agent.link;
