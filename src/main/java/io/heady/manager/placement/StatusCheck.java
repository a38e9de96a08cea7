package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;

/** The node must be in service (active or draining; draining is its own check). */
public final class StatusCheck implements FeasibilityCheck {
  @Override
  public String name() {
    return "status";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    return switch (node.status()) {
      case ACTIVE, DRAINING -> null;
      default -> "node is " + node.status().wire();
    };
  }
}
