/**
 * The allocator delivers the scheduler's decisions to nodes over each node's transport (event bus or
 * HTTP), reports refusals back so the task fails over to the next-ranked node, and probes node health.
 */
package io.heady.manager.allocator;
