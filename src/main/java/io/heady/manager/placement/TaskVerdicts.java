package io.heady.manager.placement;

import java.util.List;

/**
 * A task's requirements weighed against every node, without placing it: what {@code heady explain} shows of a
 * task that is not on a node.
 *
 * @param nodes every node with every check it fails, or its score
 * @param best the node a placement would choose now, or {@code null} when none passes every check
 * @param fallback the verdicts are those of the cloud failover pass (no physical node could take it)
 * @param reason why no node is chosen (grouped by check, as {@code waiting_reason} says it), or {@code null}
 *     when one is
 */
public record TaskVerdicts(List<NodeVerdict> nodes, NodeVerdict best, boolean fallback, String reason) {}
