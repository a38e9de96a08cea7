package io.heady.manager.placement;

import io.heady.common.protocol.Priority;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;
import java.util.List;

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

  /** {@code "node is offline"}, {@code "node is stale/offline"}; a degraded node's reason as it is. */
  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    java.util.TreeSet<String> states = new java.util.TreeSet<>();
    failing.forEach(n -> states.add(n.status().wire()));
    if (states.size() == 1 && states.first().equals(io.heady.manager.node.NodeStatus.DEGRADED.wire())) {
      return check(req, failing.get(0), settings);
    }
    return "node is " + String.join("/", states);
  }
}
