/** Tasks as the manager keeps them: states, the one transition table, attempts and leases. No Vert.x. */
package io.heady.manager.task;
