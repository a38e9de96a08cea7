package io.heady.manager.placement;

import io.heady.manager.node.NodeRecord;
import java.util.List;

/** P0 tasks only go to nodes with reliability at or above 80. */
public final class ReliabilityCheck implements FeasibilityCheck {
  @Override
  public String name() {
    return "reliability";
  }

  @Override
  public String check(PlacementRequest req, NodeRecord node, PlacementSettings settings) {
    if (req.priority() != io.heady.common.protocol.Priority.P0) {
      return null;
    }
    int r = node.reliability();
    return r >= io.heady.manager.node.Reliability.P0_MIN ? null
        : "P0 needs reliability >= " + io.heady.manager.node.Reliability.P0_MIN + ", node has " + r;
  }

  /** {@code "P0 needs reliability >= 80 (has at most 61)"}. */
  @Override
  public String summary(PlacementRequest req, List<NodeRecord> failing, PlacementSettings settings) {
    int most = failing.stream().mapToInt(NodeRecord::reliability).max().orElse(0);
    return "P0 needs reliability >= " + io.heady.manager.node.Reliability.P0_MIN + " (has "
        + (failing.size() == 1 ? "" : "at most ") + most + ")";
  }
}
