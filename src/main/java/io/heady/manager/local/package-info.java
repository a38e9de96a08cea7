/**
 * The manager's built-in local executor: a node with location {@code cloud} that runs inside the manager
 * process. It is where {@code cloud_only} types run and where other types fail over when no physical node
 * is eligible. It holds the same node-side core as an agent ({@code io.heady.common.node.NodeExecutor}), so it
 * answers the agent protocol as an agent does.
 */
package io.heady.manager.local;
