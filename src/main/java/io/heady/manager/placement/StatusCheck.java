package io.heady.manager.placement;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;

/**
 * The node must be in service (active or draining; draining is its own check). A quarantined (degraded)
 * node takes low-priority (P3) tasks on probation, one at a time, while it answers.
 */
public final class StatusCheck implements FeasibilityCheck {
  @Override
  public String name() {
    return "status";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    return switch (node.status()) {
      case ACTIVE, DRAINING -> null;
      case DEGRADED -> req.priority() == Priority.P3 && !req.critical() && NodeLiveness.onProbation(node) ? null
          : "node is degraded (quarantined; it takes P3 tasks on probation, one at a time)";
      default -> "node is " + node.status().wire();
    };
  }
}
